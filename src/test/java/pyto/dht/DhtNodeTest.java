package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pyto.bencode.BString;
import pyto.concurrent.Scope;
import pyto.dht.KrpcMessage.Ping;

/** One node's life: saved state, bootstrapping with nobody there, BEP 42, trace, interrupts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhtNodeTest {

    private final List<DhtNode> nodes = new ArrayList<>();
    private int threadsBefore;

    @BeforeEach
    void countThreads() {
        threadsBefore = Scope.liveThreads();
    }

    @AfterEach
    void closeAll() {
        nodes.forEach(DhtNode::close);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> Scope.liveThreads() == threadsBefore);
    }

    private DhtNode start(DhtConfig config) throws Exception {
        DhtNode node = DhtNode.start(config);
        nodes.add(node);
        return node;
    }

    private static InetSocketAddress at(DhtNode node) {
        return new InetSocketAddress(TestNetwork.LOOPBACK, node.port());
    }

    @Test
    void theIdAndGoodNodesSurviveARestart(@TempDir Path state) throws Exception {
        List<DhtNode> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(start(TestNetwork.config()));
        }
        DhtNode node = start(TestNetwork.config().withStateDirectory(state));
        others.forEach(o -> node.addNode(at(o)));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> node.table().size() == 3);
        NodeId id = node.id();
        node.close();
        assertThat(state.resolve(StateFile.NAME)).isRegularFile();
        assertThat(Files.list(state).toList()).as("no temporary file left").hasSize(1);

        // no bootstrap nodes given: the saved ones are enough
        DhtNode again = start(TestNetwork.config().withStateDirectory(state));
        assertThat(again.id()).isEqualTo(id);
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> again.table().size() == 3);
    }

    @Test
    void aCorruptStateFileIsIgnored(@TempDir Path state) throws Exception {
        Files.writeString(state.resolve(StateFile.NAME), "d2:id3:abc");
        DhtNode node = start(TestNetwork.config().withStateDirectory(state));
        assertThat(node.table().size()).isZero();
        node.close();
        assertThat(StateFile.load(state)).map(StateFile.Saved::id).contains(node.id());
    }

    @Test
    void withNobodyToAnswerTheNodeSaysSoOnceAndKeepsTrying() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(Maintenance.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(TestNetwork.LOOPBACK, 0))) {
            InetSocketAddress nobody = new InetSocketAddress(TestNetwork.LOOPBACK, silent.getLocalPort());
            DhtLimits quick = TestNetwork.FAST.withQueryTimeout(Duration.ofMillis(100))
                    .withMaintenance(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(15), Duration.ofMillis(50));
            DhtNode node = start(TestNetwork.config().withLimits(quick)
                    .withBootstrap(List.of(nobody, InetSocketAddress.createUnresolved("localhost", silent.getLocalPort()))));
            // several rounds go by, each asking the silent socket again
            byte[] buffer = new byte[2048];
            int asked = 0;
            silent.setSoTimeout(2000);
            while (asked < 8) {
                silent.receive(new java.net.DatagramPacket(buffer, buffer.length));
                asked++;
            }
            assertThat(records.stream().filter(r -> r.getMessage().contains("no bootstrap node answered")).count()).isEqualTo(1);
            assertThat(records).hasSize(1);

            // a node appears: the next round finds it, and says so
            DhtNode late = start(TestNetwork.config());
            node.addNode(at(late));
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> node.table().size() == 1);
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aPublicAddressReportedOftenEnoughGivesUsABep42Id() throws Exception {
        DhtNode node = start(TestNetwork.config());
        InetAddress publicIp = InetAddress.getByName("203.0.113.5");
        NodeId before = node.id();
        node.learnExternalAddress(publicIp);
        node.learnExternalAddress(publicIp);
        assertThat(node.id()).isEqualTo(before);
        node.learnExternalAddress(publicIp);
        assertThat(node.id()).isNotEqualTo(before);
        assertThat(node.id().isSecureFor(publicIp)).isTrue();
        // loopback and private addresses are no public address
        NodeId secure = node.id();
        for (int i = 0; i < 5; i++) {
            node.learnExternalAddress(InetAddress.getByName("192.168.1.2"));
        }
        assertThat(node.id()).isEqualTo(secure);
    }

    @Test
    void theTraceSeesEveryMessageDecoded() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        DhtNode node = start(TestNetwork.config().withTrace(new DhtTrace() {
            @Override
            public void message(InetSocketAddress remote, boolean outgoing, KrpcMessage message) {
                lines.add((outgoing ? "-> " : "<- ") + message);
            }

            @Override
            public void junk(InetSocketAddress remote, String problem) {
                lines.add("junk " + problem);
            }
        }));
        try (RawNode client = new RawNode(NodeId.random(new java.util.Random(1)))) {
            client.exchange(new Ping(BString.of("tt"), client.id), at(node));
            client.send("junk", at(node));
            Awaitility.await().atMost(2, TimeUnit.SECONDS).until(() -> lines.size() >= 4);
        }
        assertThat(lines).contains("<- ping from " + lines.get(0).substring(13))
                .anyMatch(l -> l.startsWith("-> response from " + node.id().shortHex()))
                .anyMatch(l -> l.startsWith("-> ping from " + node.id().shortHex())) // pinging back the stranger
                .anyMatch(l -> l.startsWith("junk not a bencoded dictionary"));
    }

    @Test
    void interruptingALookupEndsItAndLeavesTheNodeWorking() throws Exception {
        try (TestNetwork network = TestNetwork.start(5)) {
            DhtNode node = network.nodes.get(1);
            // a slow node in the table, so that the lookup waits
            try (RawNode slow = new RawNode(NodeId.random(new java.util.Random(3)))) {
                slow.lie((query, from) -> {
                    if (!(query instanceof Ping)) {
                        try {
                            Thread.sleep(10_000);
                        } catch (InterruptedException e) {
                            return null;
                        }
                    }
                    return KrpcCodec.encode(KrpcMessage.Response.of(query.tid(), slow.id, java.util.Optional.empty()));
                });
                node.ping(slow.address());
                Awaitility.await().atMost(2, TimeUnit.SECONDS).until(() -> node.table().contains(slow.address()));
                java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
                Thread caller = Thread.ofVirtual().start(() -> {
                    try {
                        node.findNode(NodeId.random(new java.util.Random(4)), LookupObserver.NONE);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                });
                Thread.sleep(100);
                long start = System.nanoTime();
                caller.interrupt();
                caller.join(Duration.ofSeconds(2));
                assertThat(caller.isAlive()).isFalse();
                assertThat(interrupted).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
            }
            // the socket is still open: lookups still work
            LookupResult after = node.findNode(NodeId.random(new java.util.Random(5)), LookupObserver.NONE);
            assertThat(after.answers()).isPositive();
        }
    }
}
