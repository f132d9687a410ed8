package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.piece.Bitfield;
import pyto.peer.PeerStatus;
import pyto.peer.PeerTimeouts;
import pyto.piece.PieceGeometry;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;

/**
 * pyto seen from the wire (BEP 3), by a {@link RawPeer} that sends exactly the messages a
 * test chooses: what a seeder answers, refuses and says first, and what a leecher asks for.
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
    void aSilentPeerIsDroppedWhileOneThatKeepsAliveStaysAndHearsKeepAlivesFromUs() throws Exception {
        // The rules of BEP 3 on a shorter clock: keep-alives after 300 ms of quiet, and silence
        // for 1.5 s (of 2 minutes normally) drops a peer; the torrent looks every 100 ms.
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 100_000);
        try (swarm) {
            Session session = swarm.session(c -> c.withChoking(4, Duration.ofMillis(100))
                    .withPeerTimeouts(new PeerTimeouts(Duration.ofMillis(300), Duration.ofMillis(1500))));
            Torrent seed = session.add(swarm.metainfo, swarm.dir("seed"));
            assertThat(seed.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10))).isEqualTo(Torrent.State.SEEDING);
            InetSocketAddress address = TestSwarm.addressOf(session);
            PeerId talkingId = PeerId.generate();
            try (RawPeer silent = RawPeer.dial(address, swarm.metainfo, PeerId.generate());
                 RawPeer talking = RawPeer.dial(address, swarm.metainfo, talkingId)) {
                assertThat(talking.read(WAIT)).as("first message").isInstanceOf(PeerMessage.Bitfield.class);
                int keepAlivesHeard = 0;
                long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < end) {
                    talking.send(new PeerMessage.KeepAlive());
                    Optional<PeerMessage> heard = talking.poll(Duration.ofMillis(200));
                    if (heard.isPresent() && heard.get() instanceof PeerMessage.KeepAlive) {
                        keepAlivesHeard++;
                    }
                }
                assertThat(silent.awaitClosed(Duration.ofSeconds(2))).as("the silent peer was dropped").isTrue();
                assertThat(seed.peers()).as("still connected, after twice the silence limit")
                        .extracting(PeerStatus::peerId).containsExactly(talkingId);
                assertThat(keepAlivesHeard).as("keep-alives from a seeder with nothing else to say").isGreaterThanOrEqualTo(3);
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

    @Test
    void aHaveFromAPeerWeAreWaitingOnBringsRequestsForTheNewPiece() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 4L * PIECE);
        try (swarm) {
            Session session = leecherWithNothing(swarm);
            try (RawPeer peer = RawPeer.dial(TestSwarm.addressOf(session), swarm.metainfo, PeerId.generate())) {
                peer.send(new PeerMessage.Bitfield(Bitfield.parse("*...").toBytes()));
                peer.send(new PeerMessage.Unchoke());
                assertThat(piecesRequested(peer)).as("asked for what the peer has").containsExactly(0);
                // We sit on those requests. Nothing arrives, but the peer now has a second piece:
                // the leecher must not wait for a block before it asks for that one too.
                peer.send(new PeerMessage.Have(2));
                assertThat(piecesRequested(peer)).as("asked after the have").containsExactly(2);
            }
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void blocksAPeerWillNotSendAreAskedOfAnotherAtOnce() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 40L * PIECE);
        try (swarm) {
            Session session = leecherWithNothing(swarm);
            int pieces = swarm.metainfo.pieceCount();
            try (RawPeer a = RawPeer.dial(TestSwarm.addressOf(session), swarm.metainfo, PeerId.generate());
                 RawPeer b = RawPeer.dial(TestSwarm.addressOf(session), swarm.metainfo, PeerId.generate())) {
                a.send(new PeerMessage.Bitfield(Bitfield.full(pieces).toBytes()));
                a.send(new PeerMessage.Unchoke());
                Set<Integer> askedOfA = piecesRequested(a);
                assertThat(askedOfA).isNotEmpty();
                // B has only the pieces A was asked for: nothing of them is left to ask B for.
                Bitfield bHas = new Bitfield(pieces);
                askedOfA.forEach(bHas::set);
                b.send(new PeerMessage.Bitfield(bHas.toBytes()));
                b.send(new PeerMessage.Unchoke());
                assertThat(piecesRequested(b)).as("asked of B while A owes them").isEmpty();
                // A chokes us: BEP 3 says its requests are void. B must hear of them now,
                // not when a block of B's arrives (none would: B was asked for nothing).
                a.send(new PeerMessage.Choke());
                assertThat(piecesRequested(b)).as("asked of B once A choked").isNotEmpty().isSubsetOf(askedOfA);
            }
        }
        swarm.assertNoThreadLeft();
    }

    /** A session downloading the torrent from scratch, ready for peers. */
    private static Session leecherWithNothing(TestSwarm swarm) throws Exception {
        Session session = swarm.session();
        Torrent leecher = session.add(swarm.metainfo, swarm.dir("leech"));
        assertThat(leecher.awaitState(Set.of(Torrent.State.DOWNLOADING), Duration.ofSeconds(10)))
                .isEqualTo(Torrent.State.DOWNLOADING);
        return session;
    }

    /** The pieces of the requests that come until the other side has been quiet for 500 ms. */
    private static Set<Integer> piecesRequested(RawPeer peer) throws IOException {
        Set<Integer> pieces = new java.util.TreeSet<>();
        for (Optional<PeerMessage> m; (m = peer.poll(Duration.ofMillis(500))).isPresent(); ) {
            if (m.get() instanceof PeerMessage.Request(int piece, int begin, int length)) {
                pieces.add(piece);
            }
        }
        return pieces;
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
