package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pyto.concurrent.Scope;
import pyto.metainfo.InfoHash;

/** Fifty pyto DHT nodes on 127.0.0.1, all bootstrapped through the first. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DhtNetworkIT {

    private static final int NODES = 50;

    private int threadsBefore;

    @BeforeEach
    void countThreads() {
        threadsBefore = Scope.liveThreads();
    }

    @AfterEach
    void everyThreadEnds() {
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> Scope.liveThreads() == threadsBefore);
    }

    @Test
    void aLookupFromAnyNodeFindsTheEightClosestThatExist() throws Exception {
        try (TestNetwork network = TestNetwork.start(NODES)) {
            Random random = new Random(42);
            int worstQueries = 0;
            for (int round = 0; round < 20; round++) {
                DhtNode from = network.nodes.get(random.nextInt(NODES));
                NodeId target = NodeId.random(random);
                LookupResult result = from.findNode(target, LookupObserver.NONE);
                assertThat(result.closest().stream().map(Contact::id).toList())
                        .as("round %d from %s: %s", round, from.id().shortHex(), result)
                        .isEqualTo(network.closestIds(target, from, 8));
                worstQueries = Math.max(worstQueries, result.queries());
            }
            assertThat(worstQueries).as("queries of the longest lookup").isLessThanOrEqualTo(40);
        }
    }

    @Test
    void getPeersFromOneNodeFindsWhatAnotherAnnounced() throws Exception {
        try (TestNetwork network = TestNetwork.start(NODES)) {
            InfoHash infoHash = new InfoHash(NodeId.random(new Random(7)).bytes());
            DhtNode seeder = network.nodes.get(17);
            LookupResult announced = seeder.announce(infoHash, 51413, false);
            assertThat(announced.announced()).as(announced.toString()).isGreaterThanOrEqualTo(6);

            DhtNode leecher = network.nodes.get(33);
            List<InetSocketAddress> peers = leecher.getPeers(infoHash);
            assertThat(peers).contains(new InetSocketAddress(TestNetwork.LOOPBACK, 51413));

            // implied_port: the node takes the source port of the announce, the seeder's DHT port
            DhtNode other = network.nodes.get(41);
            other.announce(infoHash, 1, true);
            assertThat(leecher.getPeers(infoHash)).contains(new InetSocketAddress(TestNetwork.LOOPBACK, other.port()));
            int stored = network.nodes.stream().mapToInt(n -> n.status().storedPeers()).sum();
            assertThat(stored).isBetween(2 * 6, 2 * 8);
        }
    }

    @Test
    void statusCountsTheTable() throws Exception {
        try (TestNetwork network = TestNetwork.start(10)) {
            DhtStatus status = network.nodes.get(0).status();
            assertThat(status.nodes()).isEqualTo(9);
            assertThat(status.goodNodes()).isEqualTo(9);
            assertThat(status.toString()).contains("9 nodes");
            Thread.sleep(Duration.ofMillis(300));
        }
    }
}
