package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.piece.Bitfield;
import pyto.piece.PieceGeometry;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;

/**
 * A pyto seeder seen from the wire (BEP 3), by a {@link RawPeer} that sends exactly the
 * messages a test chooses: what it answers, what it refuses, and what it says first.
 */
class PeerWireIT {

    static final int PIECE = 32 * 1024;
    static final int BLOCK = PieceGeometry.BLOCK_SIZE;
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void requestsWhileChokedOrForMoreThanABlockGetNoData() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 300_000);
        try (swarm) {
            Torrent seed = swarm.seeder();
            assertThat(seed.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10))).isEqualTo(Torrent.State.SEEDING);
            try (RawPeer peer = RawPeer.dial(swarm.seederAddress(), swarm.metainfo, PeerId.generate())) {
                assertThat(peer.read(WAIT)).as("first message").isEqualTo(
                        new PeerMessage.Bitfield(Bitfield.full(swarm.metainfo.pieceCount()).toBytes()));

                peer.send(new PeerMessage.Request(0, 0, BLOCK));      // choked: BEP 3 says drop it
                peer.send(new PeerMessage.Interested());
                assertThat(peer.read(WAIT)).as("answer to interested").isEqualTo(new PeerMessage.Unchoke());
                peer.send(new PeerMessage.Request(1, 0, 2 * BLOCK));  // more than a block: refused
                peer.send(new PeerMessage.Request(2, BLOCK, BLOCK));  // a proper request

                // Blocks go out in the order asked: had either bad request been served, it would come first.
                assertThat(peer.read(WAIT)).as("the only block sent")
                        .isEqualTo(new PeerMessage.Piece(2, BLOCK, swarm.streamBytes(2L * PIECE + BLOCK, BLOCK)));
                assertThat(peer.poll(Duration.ofMillis(500))).as("anything after it").isEmpty();
            }
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aPeerThatConnectsWhileTheDataIsCheckedIsNeverLeftThinkingWeHaveNothing() throws Exception {
        // 24 MiB to hash: the check takes long enough for a connection to arrive during it.
        TestSwarm swarm = TestSwarm.create(dir, 256 * 1024, false, 24L << 20);
        try (swarm) {
            Session session = swarm.session();
            session.add(swarm.metainfo, swarm.dir("seed"));
            assertThat(firstWordOfASeederStillChecking(session, swarm)).as("first message from a seeder")
                    .satisfiesAnyOf(
                            first -> assertThat(first).as("turned away").isEmpty(),
                            first -> assertThat(first).as("told everything").contains(
                                    new PeerMessage.Bitfield(Bitfield.full(swarm.metainfo.pieceCount()).toBytes())));
        }
        swarm.assertNoThreadLeft();
    }

    /**
     * Connects at once (the seeder was just added, so it is checking) and returns the first
     * message, or empty if the seeder closed the connection. Silence fails the test.
     */
    private static Optional<PeerMessage> firstWordOfASeederStillChecking(Session session, TestSwarm swarm) {
        try (RawPeer peer = RawPeer.dial(TestSwarm.addressOf(session), swarm.metainfo, PeerId.generate())) {
            return Optional.of(peer.read(WAIT));
        } catch (IOException turnedAway) {
            return Optional.empty();
        }
    }
}
