package pyto.dht;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A DHT of pyto nodes on 127.0.0.1 in one JVM: the first node is everyone's bootstrap node,
 * as a {@code pyto dht} process would be. Waits are shortened so a test runs in seconds.
 */
final class TestNetwork implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static final DhtLimits FAST = DhtLimits.DEFAULTS
            .withQueryTimeout(Duration.ofMillis(500))
            .withLookup(4, 60, Duration.ofSeconds(5))
            .withMaintenance(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMillis(200));

    final List<DhtNode> nodes = new ArrayList<>();

    /** Starts {@code count} nodes, each bootstrapping from the first, one after the other. */
    static TestNetwork start(int count) throws IOException {
        TestNetwork network = new TestNetwork();
        try {
            DhtNode first = DhtNode.start(config());
            network.nodes.add(first);
            InetSocketAddress bootstrap = new InetSocketAddress(LOOPBACK, first.port());
            for (int i = 1; i < count; i++) {
                DhtNode node = DhtNode.start(config().withBootstrap(List.of(bootstrap)));
                network.nodes.add(node);
                waitForTable(node);
            }
        } catch (RuntimeException | IOException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Until the node's bootstrap got an answer (no Awaitility: the benchmark runs without test libraries). */
    private static void waitForTable(DhtNode node) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.table().size() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("node " + node.id().shortHex() + " did not bootstrap in 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    static DhtConfig config() {
        return DhtConfig.of(LOOPBACK, 0).withLimits(FAST);
    }

    /** The ids of every node but {@code except}, closest to {@code target} first. */
    List<NodeId> closestIds(NodeId target, DhtNode except, int count) {
        return nodes.stream().filter(n -> n != except).map(DhtNode::id)
                .sorted(Comparator.comparing(id -> id, target.byDistance())).limit(count).toList();
    }

    @Override
    public void close() {
        nodes.parallelStream().forEach(DhtNode::close);
    }
}
