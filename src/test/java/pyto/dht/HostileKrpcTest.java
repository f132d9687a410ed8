package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pyto.bencode.BString;
import pyto.concurrent.Scope;
import pyto.dht.KrpcMessage.AnnouncePeer;
import pyto.dht.KrpcMessage.Error;
import pyto.dht.KrpcMessage.GetPeers;
import pyto.dht.KrpcMessage.Ping;
import pyto.dht.KrpcMessage.Response;
import pyto.metainfo.InfoHash;

/** A pyto node against a raw UDP client that sends junk, floods, and lies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileKrpcTest {

    private static final BString T = BString.of("tt");
    private static final Duration SILENCE = Duration.ofMillis(300);

    private final Random random = new Random(11);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int threadsBefore;

    @BeforeEach
    void countThreads() {
        threadsBefore = Scope.liveThreads();
    }

    @AfterEach
    void closeAndCheckThreads() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> Scope.liveThreads() == threadsBefore);
    }

    private DhtNode node(DhtLimits limits) throws Exception {
        DhtNode node = DhtNode.start(DhtConfig.of(TestNetwork.LOOPBACK, 0).withLimits(limits));
        toClose.add(node);
        return node;
    }

    private RawNode raw() throws Exception {
        RawNode raw = new RawNode(NodeId.random(random));
        toClose.add(raw);
        return raw;
    }

    private static InetSocketAddress at(DhtNode node) {
        return new InetSocketAddress(TestNetwork.LOOPBACK, node.port());
    }

    @Test
    void malformedPacketsAreDroppedAndTheNodeGoesOn() throws Exception {
        DhtNode node = node(TestNetwork.FAST);
        RawNode client = raw();
        for (String junk : List.of("", "hello", "i42e", "li1ei2ee", "d1:y1:qe", "d1:t2:aa1:y1:xe", "d1:t2:aa",
                "d1:rd2:id20:abcdefghij0123456789e1:t2:zz1:y1:re", // an answer to nothing we asked
                "d1:t2:aa1:y1:r1:ri1ee", "l".repeat(10_000))) {
            client.send(junk, at(node));
        }
        client.send(new byte[3000], at(node)); // longer than any KRPC message
        assertThat(client.receive(SILENCE)).isEmpty();
        Response pong = (Response) client.exchange(new Ping(T, client.id), at(node));
        assertThat(pong.sender()).isEqualTo(node.id());
        assertThat(pong.requester()).contains(client.address()); // BEP 42's "ip"
        assertThat(node.status().dropped()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void wrongTypesAndMissingArgumentsGet203() throws Exception {
        DhtNode node = node(TestNetwork.FAST);
        RawNode client = raw();
        for (String bad : List.of(
                "d1:ad2:idi5ee1:q4:ping1:t2:tt1:y1:qe",                     // id is an integer
                "d1:ad2:id3:abce1:q4:ping1:t2:tt1:y1:qe",                   // id of 3 bytes
                "d1:a5:hello1:q4:ping1:t2:tt1:y1:qe",                        // arguments not a dictionary
                "d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:tt1:y1:qe", // no target
                "d1:ad2:id20:abcdefghij01234567899:info_hash5:short4:porti1e5:token1:xe1:q13:announce_peer1:t2:tt1:y1:qe")) {
            client.send(bad, at(node));
            KrpcMessage answer = client.receive(Duration.ofSeconds(2)).orElseThrow();
            assertThat(answer).as(bad).isInstanceOf(Error.class);
            assertThat(((Error) answer).code()).isEqualTo(203);
            assertThat(answer.tid()).isEqualTo(T);
        }
    }

    private static byte[] bad(String latin1) {
        return latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void anUnknownMethodGets204() throws Exception {
        DhtNode node = node(TestNetwork.FAST);
        RawNode client = raw();
        client.send("d1:ad2:id20:abcdefghij0123456789e1:q6:vote_x1:t2:tt1:y1:qe", at(node));
        Error e = (Error) client.receive(Duration.ofSeconds(2)).orElseThrow();
        assertThat(e.code()).isEqualTo(204);
    }

    @Test
    void announcesNeedTheTokenGivenToThatAddress() throws Exception {
        DhtNode node = node(TestNetwork.FAST);
        RawNode client = raw();
        RawNode thief = raw();
        InfoHash hash = new InfoHash(NodeId.random(random).bytes());
        Error refused = (Error) client.exchange(new AnnouncePeer(T, client.id, hash, 6881, false, BString.of("guess")), at(node));
        assertThat(refused.code()).isEqualTo(203);
        assertThat(refused.message()).contains("token");

        Response answer = (Response) client.exchange(new GetPeers(T, client.id, hash), at(node));
        BString token = answer.token().orElseThrow();
        assertThat(answer.values()).isEmpty();
        // on loopback every socket shares the IP, so the token is good for the thief too; on the
        // Internet it would not be. What matters here is that the token is checked at all.
        assertThat(client.exchange(new AnnouncePeer(T, client.id, hash, 6881, false, token), at(node)))
                .isInstanceOf(Response.class);
        Response peers = (Response) thief.exchange(new GetPeers(T, thief.id, hash), at(node));
        assertThat(peers.values()).containsExactly(new InetSocketAddress(TestNetwork.LOOPBACK, 6881));
        assertThat(node.status().storedPeers()).isEqualTo(1);
    }

    @Test
    void aFloodFromOneAddressGetsItsBurstThenSilenceWhileOthersAreAnswered() throws Exception {
        DhtNode node = node(TestNetwork.FAST.withRates(10, 5, 0));
        RawNode flooder = raw();
        RawNode other = raw();
        for (int i = 0; i < 2000; i++) {
            flooder.send(new Ping(BString.of("f" + i), flooder.id), at(node));
            if (i % 100 == 99) {
                Thread.sleep(2); // so that the kernel's receive buffer does not drop most of it before the node sees it
            }
        }
        int answered = 0;
        while (flooder.receive(SILENCE).isPresent()) {
            answered++;
        }
        // the burst, and the few a second that trickle in while the flood is sent and read
        assertThat(answered).isBetween(10, 25);
        assertThat(other.exchange(new Ping(T, other.id), at(node))).isInstanceOf(Response.class);
        // how many reached the node at all depends on the kernel's receive buffer and the machine's load
        assertThat(node.status().dropped()).as("seen and dropped by the rate limit").isGreaterThan(100);
    }

    @Test
    void aLiarCannotMakeALookupOutlastItsBounds() throws Exception {
        DhtLimits limits = TestNetwork.FAST.withLookup(4, 30, Duration.ofSeconds(3));
        DhtNode node = node(limits);
        RawNode liar = raw();
        NodeId target = NodeId.random(random);
        // answers everything with 8 made-up nodes ever closer to the target, at ports where nobody listens
        liar.lie((query, from) -> {
            List<Contact> fakes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fakes.add(new Contact(target.randomWithPrefix(100 + random.nextInt(50), random),
                        new InetSocketAddress(TestNetwork.LOOPBACK, 20_000 + random.nextInt(20_000))));
            }
            return KrpcCodec.encode(Response.of(query.tid(), liar.id, Optional.of(from)).withNodes(fakes));
        });
        node.ping(liar.address());
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> node.table().size() == 1);

        long start = System.nanoTime();
        LookupResult result = node.findNode(target, LookupObserver.NONE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.queries()).isLessThanOrEqualTo(30);
        assertThat(took).isLessThan(Duration.ofSeconds(3).plusMillis(500));
        assertThat(result.closest()).containsExactly(new Contact(liar.id, liar.address()));
        // none of the made-up nodes answered, so none entered the table
        assertThat(node.table().size()).isEqualTo(1);
    }

    @Test
    void colludingLiarsHitTheQueryBound() throws Exception {
        LookupResult result = lookupAmongLiars(TestNetwork.FAST.withLookup(4, 30, Duration.ofSeconds(10)), Duration.ZERO);
        assertThat(result.queries()).isEqualTo(30);
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void slowColludingLiarsHitTheTimeBound() throws Exception {
        LookupResult result = lookupAmongLiars(TestNetwork.FAST.withLookup(4, 10_000, Duration.ofSeconds(1)), Duration.ofMillis(200));
        assertThat(result.queries()).isLessThan(100);
        assertThat(result.elapsed()).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
    }

    /**
     * 250 liars that know each other: each answers (after {@code delay}) with eight others not
     * named yet, under ids ever closer to the target, and each answers to the id it was given.
     * Only the lookup's own bounds can end a lookup among them.
     */
    private LookupResult lookupAmongLiars(DhtLimits limits, Duration delay) throws Exception {
        DhtNode node = node(limits);
        NodeId target = NodeId.random(random);
        List<RawNode> liars = new ArrayList<>();
        java.util.Map<InetSocketAddress, NodeId> claimed = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger depth = new java.util.concurrent.atomic.AtomicInteger(20);
        java.util.concurrent.atomic.AtomicInteger named = new java.util.concurrent.atomic.AtomicInteger(1);
        for (int i = 0; i < 250; i++) {
            liars.add(raw());
        }
        for (RawNode liar : liars) {
            liar.lie((query, from) -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return null;
                }
                List<Contact> closer = new ArrayList<>();
                int shared = Math.min(159, depth.addAndGet(2));
                for (int i = 0; i < 8; i++) {
                    InetSocketAddress other = liars.get(named.getAndIncrement() % liars.size()).address();
                    NodeId id = claimed.computeIfAbsent(other, a -> target.randomWithPrefix(shared, new Random()));
                    closer.add(new Contact(id, other));
                }
                NodeId me = claimed.getOrDefault(liar.address(), liar.id);
                return KrpcCodec.encode(Response.of(query.tid(), me, Optional.of(from)).withNodes(closer));
            });
        }
        node.ping(liars.get(0).address());
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> node.table().size() == 1);
        return node.findNode(target, LookupObserver.NONE);
    }

    @Test
    void aLiarAnsweringWithItselfJunkOrAnotherIdEndsTheLookupAtOnce() throws Exception {
        DhtNode node = node(TestNetwork.FAST);
        RawNode liar = raw();
        int[] calls = {0};
        liar.lie((query, from) -> {
            calls[0]++;
            return switch (calls[0] % 3) {
                case 1 -> KrpcCodec.encode(Response.of(query.tid(), liar.id, Optional.empty())
                        .withNodes(List.of(new Contact(liar.id, liar.address())))); // itself
                case 2 -> bad("d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:" + query.tid().text() + "1:y1:re");
                default -> KrpcCodec.encode(Response.of(query.tid(), NodeId.random(random), Optional.empty())); // another id
            };
        });
        node.ping(liar.address()); // call 1: answers as itself, enters the table
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> node.table().size() == 1);
        for (int i = 0; i < 3; i++) {
            LookupResult result = node.findNode(NodeId.random(random), LookupObserver.NONE);
            assertThat(result.queries()).isLessThanOrEqualTo(1);
            assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void storageAndTransactionsStayBounded() throws Exception {
        DhtNode node = node(TestNetwork.FAST.withRates(100_000, 100_000, 0).withStorage(50, 5, Duration.ofMinutes(30)));
        RawNode client = raw();
        BString token = ((Response) client.exchange(new GetPeers(T, client.id, new InfoHash(new byte[20])), at(node)))
                .token().orElseThrow();
        for (int i = 0; i < 500; i++) {
            InfoHash hash = new InfoHash(NodeId.random(random).bytes());
            client.send(new AnnouncePeer(BString.of("a" + i), client.id, hash, 1000 + i, false, token), at(node));
            client.receive(Duration.ofSeconds(1));
        }
        InfoHash one = new InfoHash(NodeId.random(random).bytes());
        for (int i = 0; i < 50; i++) {
            client.send(new AnnouncePeer(BString.of("b" + i), client.id, one, 2000 + i, false, token), at(node));
            client.receive(Duration.ofSeconds(1));
        }
        assertThat(node.status().infoHashes()).isEqualTo(50);
        assertThat(node.status().storedPeers()).isLessThanOrEqualTo(50 * 5);
        // transactions: ten thousand pings to nowhere leave at most the limit outstanding
        for (int i = 0; i < 10_000; i++) {
            node.ping(new InetSocketAddress(TestNetwork.LOOPBACK, 30_000 + i % 20_000));
        }
        assertThat(node.status().outstanding()).isLessThanOrEqualTo(DhtLimits.DEFAULTS.maxTransactions());
    }
}
