package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pyto.peer.Handshakes;
import pyto.piece.Bitfield;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;

/**
 * A leecher with one good seeder and one {@link HostilePeer}: the hostile peer is dropped
 * (and, for corrupt data, banned), and the download completes byte for byte from the seeder
 * all the same.
 */
class HostilePeerIT {

    /** 3.5 MB in 32 KiB pieces: 107 pieces, so the bitfield's last byte has 5 spare bits. */
    static final int PIECE = 32 * 1024;
    static final long[] FILES = {2_000_000, 1_500_001};
    static final Duration DOWNLOAD = Duration.ofSeconds(30);
    static final Duration DROP = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aPeerThatSendsCorruptDataIsBannedAndTheDownloadCompletesFromTheSeeder() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, FILES);
        try (swarm) {
            swarm.seeder();
            // The seeder comes through a slow link, so the liar (who answers at once) gets
            // its share of requests before the seeder has sent everything.
            try (HostilePeer liar = HostilePeer.listen(swarm.metainfo, HostilePeer.corruptData());
                 SlowLink link = SlowLink.to(swarm.seederAddress(), 4L << 20)) {
                Session leecherSession = swarm.session();
                Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));
                leecher.addPeers(List.of(liar.address(), link.address()));

                assertThat(leecher.awaitCompletion(DOWNLOAD)).as("download complete").isTrue();
                swarm.assertSameData(swarm.dir("leecher"));
                assertThat(leecher.status().hashFailures()).as("pieces that failed their hash").isPositive();
                assertThat(leecher.swarm().isBanned(liar.address())).as("liar banned").isTrue();
                await().atMost(DROP).until(() -> liar.dropped() == 1);
                assertThat(liar.connections()).as("connections made to the liar").isEqualTo(1);

                // Coming back on its own, under the same peer id, it is turned away after the handshake.
                try (RawPeer again = RawPeer.dial(TestSwarm.addressOf(leecherSession), swarm.metainfo, liar.id)) {
                    assertThatThrownBy(() -> again.poll(DROP)).as("closed before any message")
                            .isInstanceOf(IOException.class);
                }
                assertThat(liar.connections()).as("the leecher never dialled the liar again").isEqualTo(1);
            }
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aLiarThatHangsUpAfterEachBadPieceAndComesBackIsBannedAllTheSame() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, FILES);
        try (swarm) {
            swarm.seeder();
            Session leecherSession = swarm.session();
            Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));
            assertThat(leecher.awaitState(Set.of(Torrent.State.DOWNLOADING), DROP)).as("checked, and taking peers")
                    .isEqualTo(Torrent.State.DOWNLOADING);
            PeerId liarId = PeerId.generate();
            int visits = 0;
            boolean turnedAway = false;
            // The liar is the only peer, so each piece it spoils is its own and judged at once.
            // Each visit spoils one and leaves soon after. Three bad pieces ban a stranger,
            // whether they came on one connection or on three.
            while (!turnedAway && visits < 8) {
                visits++;
                try (RawPeer liar = RawPeer.dial(TestSwarm.addressOf(leecherSession), swarm.metainfo, liarId)) {
                    turnedAway = !spoilOnePiece(liar);
                } catch (IOException refusedAtTheHandshake) {
                    turnedAway = true;
                }
                // Back only once the leecher has seen it go: else it would be a second connection.
                await().atMost(DROP).until(() -> leecher.peers().stream().noneMatch(p -> p.peerId().equals(liarId)));
            }
            // Cut off during its third visit, as its third bad piece fails, or turned away at the fourth.
            assertThat(turnedAway).as("the liar was cut off at last").isTrue();
            assertThat(visits).as("visits until it was").isBetween(3, 4);
            assertThatThrownBy(() -> {
                try (RawPeer again = RawPeer.dial(TestSwarm.addressOf(leecherSession), swarm.metainfo, liarId)) {
                    again.poll(DROP);
                }
            }).as("coming back once more").isInstanceOf(IOException.class);

            leecher.addPeers(List.of(swarm.seederAddress()));
            assertThat(leecher.awaitCompletion(DOWNLOAD)).as("download complete").isTrue();
            swarm.assertSameData(swarm.dir("leecher"));
        }
        swarm.assertNoThreadLeft();
    }

    /**
     * Offers every piece and answers the requests for the first piece asked for with random
     * bytes, ignoring the rest; hangs up once that piece is sent. False if the connection was
     * refused before any of that.
     */
    private static boolean spoilOnePiece(RawPeer liar) throws IOException {
        try {
            liar.send(new PeerMessage.Bitfield(Bitfield.full(liar.pieceCount()).toBytes()));
            liar.send(new PeerMessage.Unchoke());
            Random random = new Random();
            int spoiled = -1;
            int sent = 0;
            while (sent < PIECE) {
                Optional<PeerMessage> message = liar.poll(DROP);
                if (message.isEmpty()) {
                    throw new AssertionError("the leecher stopped asking the liar for its piece");
                }
                if (message.get() instanceof PeerMessage.Request(int piece, int begin, int length)
                        && (spoiled < 0 || piece == spoiled)) {
                    spoiled = piece;
                    byte[] garbage = new byte[length];
                    random.nextBytes(garbage);
                    liar.send(new PeerMessage.Piece(piece, begin, garbage));
                    sent += length;
                }
            }
            Thread.sleep(200); // time for the verdict, which may cut the liar off
            return true;
        } catch (IOException refused) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void aLengthPrefixOfTwoGibibytesIsDroppedBeforeAnythingIsAllocated() throws Exception {
        byte[] twoGiB = ByteBuffer.allocate(8).putInt(0x8000_0000).putInt(0x0700_0000).array();
        assertDroppedWhileTheDownloadCompletes(HostilePeer.handshakeThen(twoGiB));
    }

    /** Messages no honest peer sends, each framed well enough to get past the length check. */
    static Stream<Arguments> garbage() {
        int bitfieldBytes = (pieceCount() + 7) / 8;
        return Stream.of(
                Arguments.of("text instead of messages",
                        "this is not the peer wire protocol\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("a choke of five bytes", new byte[] {0, 0, 0, 5, 0, 1, 2, 3, 4}),
                Arguments.of("a have for a piece the torrent does not have",
                        ByteBuffer.allocate(9).putInt(5).put((byte) 4).putInt(pieceCount()).array()),
                Arguments.of("a bitfield longer than the torrent needs",
                        ByteBuffer.allocate(5 + bitfieldBytes + 4).putInt(1 + bitfieldBytes + 4).put((byte) 5).array()),
                Arguments.of("a bitfield with its spare bits set",
                        bitfield(bitfieldBytes, (byte) 0xff)),
                Arguments.of("a piece message without data",
                        ByteBuffer.allocate(13).putInt(9).put((byte) 7).putInt(0).putInt(0).array()),
                Arguments.of("a request beyond the end of a piece",
                        ByteBuffer.allocate(17).putInt(13).put((byte) 6).putInt(0).putInt(PIECE).putInt(16 * 1024).array()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void aPeerThatSendsGarbageIsDropped(String what, byte[] bytes) throws Exception {
        assertDroppedWhileTheDownloadCompletes(HostilePeer.handshakeThen(bytes));
    }

    /** The hostile peer is dropped within {@link #DROP}; the seeder's download is not disturbed. */
    private void assertDroppedWhileTheDownloadCompletes(HostilePeer.Script script) throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, FILES);
        try (swarm) {
            swarm.seeder();
            try (HostilePeer hostile = HostilePeer.listen(swarm.metainfo, script)) {
                Torrent leecher = swarm.leecher("leecher");
                leecher.addPeers(List.of(hostile.address(), swarm.seederAddress()));
                await().atMost(DROP).until(() -> hostile.dropped() == 1);
                assertThat(leecher.awaitCompletion(DOWNLOAD)).as("download complete").isTrue();
                swarm.assertSameData(swarm.dir("leecher"));
                assertThat(leecher.state()).isEqualTo(Torrent.State.SEEDING);
            }
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void garbageInsteadOfAHandshakeIsDroppedAndTheSessionGoesOn() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, FILES);
        try (swarm) {
            swarm.seeder();
            try (Socket web = new Socket(swarm.seederAddress().getAddress(), swarm.seederAddress().getPort())) {
                web.getOutputStream().write("GET /announce HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                web.setSoTimeout((int) DROP.toMillis());
                assertThat(web.getInputStream().read()).as("answer to an HTTP request").isEqualTo(-1);
            }
            Torrent leecher = swarm.leecher("leecher");
            leecher.addPeers(List.of(swarm.seederAddress()));
            assertThat(leecher.awaitCompletion(DOWNLOAD)).as("download complete").isTrue();
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aPeerThatNeverAnswersTimesOutWithoutHoldingUpTheDownload() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, FILES);
        try (swarm) {
            swarm.seeder();
            try (HostilePeer mute = HostilePeer.listen(swarm.metainfo, HostilePeer.silent())) {
                Session leecherSession = swarm.session();
                // and one that connects to the leecher and says nothing either
                try (Socket muteCaller = new Socket(TestSwarm.addressOf(leecherSession).getAddress(), leecherSession.port())) {
                    Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));
                    leecher.addPeers(List.of(mute.address(), swarm.seederAddress()));

                    assertThat(leecher.awaitCompletion(DOWNLOAD)).as("download complete").isTrue();
                    assertThat(mute.dropped()).as("the mute peer's dial still waits when the download is done").isZero();
                    swarm.assertSameData(swarm.dir("leecher"));

                    Duration timeout = Handshakes.TIMEOUT;
                    await().atMost(timeout.plus(DROP)).until(() -> mute.dropped() == 1);
                    assertThat(mute.droppedAfterMillis().getFirst()).as("dial given up after")
                            .isGreaterThanOrEqualTo(timeout.toMillis() - 1000);
                    muteCaller.setSoTimeout((int) DROP.toMillis());
                    assertThat(muteCaller.getInputStream().read()).as("the silent caller is hung up on").isEqualTo(-1);
                }
            }
        }
        swarm.assertNoThreadLeft();
    }

    private static int pieceCount() {
        long total = 0;
        for (long f : FILES) {
            total += f;
        }
        return (int) ((total + PIECE - 1) / PIECE);
    }

    private static byte[] bitfield(int bytes, byte last) {
        ByteBuffer b = ByteBuffer.allocate(5 + bytes).putInt(1 + bytes).put((byte) 5);
        b.put(4 + bytes, last);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
