package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pyto.peer.MessageTrace;
import pyto.peer.PeerConnection;
import pyto.piece.Block;
import pyto.wire.ExtensionIds;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.PeerExchange.PexPeer;
import pyto.wire.Handshake;
import pyto.wire.MessageCodec;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;

/**
 * The fast extension (BEP 6) and the limits on extension messages (BEP 10, 11) against a
 * peer the test drives by hand.
 */
class ExtensionsIT {

    static final int PIECE = 32 * 1024;
    static final int BLOCK = 16 * 1024;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration DROP = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /**
     * A peer with the fast extension asks for forty blocks of a seeder that uploads slowly,
     * and the seeder chokes it with most of them still queued. Every request must get a piece
     * or a reject, once: none is lost, so the peer can ask again elsewhere at once. After the
     * choke only the pieces of the allowed-fast set still come.
     */
    @Test
    void whenASeederChokesAPeerWithTheFastExtensionEveryQueuedRequestGetsAPieceOrAReject() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 2_000_000);
        try (swarm) {
            Torrent seeder = swarm.seeder();
            swarm.sessions.getFirst().setLimits(new RateLimits(0, 64 * 1024));
            try (RawPeer peer = RawPeer.dial(swarm.seederAddress(), swarm.metainfo, PeerId.generate(),
                    Handshake.Extension.FAST)) {
                Set<Integer> allowedFast = new HashSet<>();
                PeerMessage first = peer.read(DROP);
                assertThat(first).as("a seeder says have_all to a fast peer").isInstanceOf(PeerMessage.HaveAll.class);
                peer.send(new PeerMessage.HaveNone());
                peer.send(new PeerMessage.Interested());
                PeerMessage m;
                while (!((m = peer.read(DROP)) instanceof PeerMessage.Unchoke)) {
                    if (m instanceof PeerMessage.AllowedFast(int piece)) {
                        allowedFast.add(piece);
                    }
                }
                assertThat(allowedFast).as("the canonical set (BEP 6), of pieces the seeder has").hasSize(10);

                List<Block> asked = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    Block b = new Block(i / 2, (i % 2) * BLOCK, BLOCK);
                    asked.add(b);
                    peer.send(new PeerMessage.Request(b.piece(), b.begin(), b.length()));
                }
                Set<Block> answered = new HashSet<>();
                int rejects = 0;
                boolean choked = false;
                List<Block> afterChoke = new ArrayList<>();
                while (answered.size() < asked.size()) {
                    PeerMessage message = peer.read(WAIT);
                    switch (message) {
                        case PeerMessage.Piece(int piece, int begin, byte[] data) -> {
                            Block b = new Block(piece, begin, data.length);
                            assertThat(answered.add(b)).as("answered once: " + b).isTrue();
                            if (choked) {
                                afterChoke.add(b);
                            } else if (answered.size() == 2) {
                                PeerConnection toPeer = seeder.swarm().peers().getFirst();
                                toPeer.choke(); // as a choking round would
                            }
                        }
                        case PeerMessage.Reject(int piece, int begin, int length) -> {
                            assertThat(answered.add(new Block(piece, begin, length))).as("answered once").isTrue();
                            rejects++;
                        }
                        case PeerMessage.Choke c -> choked = true;
                        default -> { }
                    }
                }
                assertThat(answered).containsExactlyInAnyOrderElementsOf(asked);
                assertThat(choked).isTrue();
                assertThat(rejects).as("requests rejected at the choke").isPositive();
                assertThat(afterChoke).as("blocks sent while choking").allMatch(b -> allowedFast.contains(b.piece()));
            }
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aRequestForAPieceWeLackIsRejectedToAFastPeer() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 500_000);
        try (swarm) {
            swarm.seeder();
            Session leecherSession = swarm.session();
            Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher")); // has nothing, and gets nothing
            assertThat(leecher.awaitState(Set.of(Torrent.State.DOWNLOADING), DROP)).isEqualTo(Torrent.State.DOWNLOADING);
            try (RawPeer peer = RawPeer.dial(TestSwarm.addressOf(leecherSession), swarm.metainfo, PeerId.generate(),
                    Handshake.Extension.FAST)) {
                assertThat(peer.read(DROP)).as("nothing: have_none").isInstanceOf(PeerMessage.HaveNone.class);
                peer.send(new PeerMessage.Request(3, 0, BLOCK));
                Optional<PeerMessage> answer = Optional.empty();
                while (answer.isEmpty() || !(answer.get() instanceof PeerMessage.Reject)) {
                    answer = peer.poll(DROP);
                    assertThat(answer).as("an answer to the request").isPresent();
                }
                assertThat(answer.get()).isEqualTo(new PeerMessage.Reject(3, 0, BLOCK));
            }
        }
        swarm.assertNoThreadLeft();
    }

    /**
     * BEP 21: two seeds have nothing for each other; the one that hears the other only
     * uploads hangs up (at once: its own greeting may not even have gone out).
     */
    @Test
    void twoSeedsDoNotKeepAConnection() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 300_000);
        try (swarm) {
            AtomicInteger handshakes = new AtomicInteger();
            MessageTrace seen = (peer, outgoing, message) -> {
                if (!outgoing && message instanceof ExtendedHandshake h && h.uploadOnly()) {
                    handshakes.incrementAndGet();
                }
            };
            Torrent a = swarm.session(c -> c.withTrace(seen)).add(swarm.metainfo, swarm.root.resolve("seed"));
            Torrent b = swarm.session(c -> c.withTrace(seen)).add(swarm.metainfo, swarm.root.resolve("seed"));
            for (Torrent t : List.of(a, b)) {
                assertThat(t.awaitState(Set.of(Torrent.State.SEEDING), DROP)).isEqualTo(Torrent.State.SEEDING);
            }
            b.addPeers(List.of(TestSwarm.addressOf(swarm.sessions.getFirst())));
            await().atMost(DROP).until(() -> handshakes.get() > 0); // they met, and one said it only uploads
            await().atMost(DROP).until(() -> a.peers().isEmpty() && b.peers().isEmpty());
        }
        swarm.assertNoThreadLeft();
    }

    /** Extension messages no honest peer sends; each gets the peer dropped. */
    static Stream<Arguments> hostile() throws IOException {
        Handshake.Extension ext = Handshake.Extension.EXTENSION_PROTOCOL;
        Handshake.Extension fast = Handshake.Extension.FAST;
        byte[] hugeHandshake = ByteBuffer.allocate(6 + 1000).putInt(2 + 70_000).put((byte) 20).put((byte) 0).array();
        byte[] hugeMetadataPiece = ByteBuffer.allocate(6 + 1000).putInt(2 + 18_000).put((byte) 20)
                .put((byte) ExtensionIds.OURS.id(ExtensionIds.UT_METADATA).orElseThrow()).array();
        PeerExchange pex = new PeerExchange(List.of(new PexPeer(new InetSocketAddress("10.0.0.1", 6881))), List.of());
        List<PexPeer> many = IntStream.range(0, 201).mapToObj(i -> new PexPeer(new InetSocketAddress("10.0.1." + (i % 250), 1000 + i))).toList();
        byte[] tooManyPeers = tooManyPexPeers(many);
        return Stream.of(
                Arguments.of("an extended handshake over 64 KiB", hugeHandshake, new Handshake.Extension[] {ext}),
                Arguments.of("a metadata message over 17 KiB", hugeMetadataPiece, new Handshake.Extension[] {ext}),
                Arguments.of("five peer exchange messages at once", bytes(pex, pex, pex, pex, pex), new Handshake.Extension[] {ext}),
                Arguments.of("a peer exchange of 201 peers", tooManyPeers, new Handshake.Extension[] {ext}),
                Arguments.of("an extension message without the extension bit",
                        bytes(ExtendedHandshake.of(ExtensionIds.OURS)), new Handshake.Extension[] {fast}),
                Arguments.of("have_all without the fast bit", bytes(new PeerMessage.HaveAll()), new Handshake.Extension[] {ext}),
                Arguments.of("a reject without the fast bit", bytes(new PeerMessage.Reject(0, 0, BLOCK)), new Handshake.Extension[] {}),
                Arguments.of("an extended handshake that is not a dictionary",
                        ByteBuffer.allocate(10).putInt(6).put((byte) 20).put((byte) 0).put("i42e".getBytes()).array(),
                        new Handshake.Extension[] {ext}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aPeerThatBreaksTheExtensionRulesIsDroppedAndTheDownloadGoesOn(String what, byte[] bytes,
                                                                        Handshake.Extension[] extensions) throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 1_000_000);
        try (swarm) {
            swarm.seeder();
            try (HostilePeer hostile = HostilePeer.listen(swarm.metainfo, HostilePeer.handshakeThen(bytes), extensions)) {
                Torrent leecher = swarm.leecher("leecher");
                leecher.addPeers(List.of(hostile.address(), swarm.seederAddress()));
                await().atMost(DROP).until(() -> hostile.dropped() == 1);
                assertThat(leecher.awaitCompletion(WAIT)).as("download complete").isTrue();
                swarm.assertSameData(swarm.dir("leecher"));
            }
        }
        swarm.assertNoThreadLeft();
    }

    private static byte[] bytes(PeerMessage... messages) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        MessageCodec codec = new MessageCodec(1);
        for (PeerMessage m : messages) {
            codec.write(out, m, ExtensionIds.OURS);
        }
        out.flush();
        return buffer.toByteArray();
    }

    /** A ut_pex message with more added peers than BEP 11 peers send (the record refuses to hold them). */
    private static byte[] tooManyPexPeers(List<PexPeer> peers) {
        ByteArrayOutputStream compact = new ByteArrayOutputStream();
        for (PexPeer p : peers) {
            compact.writeBytes(p.address().getAddress().getAddress());
            compact.write(p.address().getPort() >> 8);
            compact.write(p.address().getPort() & 0xff);
        }
        byte[] added = compact.toByteArray();
        byte[] dict = ("d5:added" + added.length + ":").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] end = "e".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int payload = dict.length + added.length + end.length;
        return ByteBuffer.allocate(4 + 2 + payload).putInt(2 + payload).put((byte) 20)
                .put((byte) ExtensionIds.OURS.id(ExtensionIds.UT_PEX).orElseThrow())
                .put(dict).put(added).put(end).array();
    }
}
