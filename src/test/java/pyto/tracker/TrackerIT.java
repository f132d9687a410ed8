package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.concurrent.Scope;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * A swarm on loopback meets through the embedded tracker: simulated peers announce through the
 * real HTTP client, first by hand, then with announcers on their own threads.
 */
class TrackerIT {

    static final InfoHash TORRENT = SwarmRegistryTest.hash(42);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private int threadsBefore;
    private TrackerServer server;

    @BeforeEach
    void start() throws Exception {
        threadsBefore = Scope.liveThreads();
        server = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> Scope.liveThreads() == threadsBefore);
    }

    /** Simulated peer n: its own client, peer id and port 7000 + n. */
    private record SimulatedPeer(int n, Tracker tracker) {
        AnnounceRequest request(Event event, long left) {
            byte[] id = String.format("-PY0001-peer%08d", n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            return new AnnounceRequest(TORRENT, id, port(), 0, 0, left, event, 50, n);
        }

        int port() {
            return 7000 + n;
        }

        InetSocketAddress address() {
            return new InetSocketAddress(LOOPBACK, port());
        }
    }

    private SimulatedPeer peer(int n) {
        return new SimulatedPeer(n, Trackers.forUrl(server.announceUrl()).orElseThrow());
    }

    @Test
    void peersSeeEachOtherNotThemselvesAndScrapeCountsThem() throws Exception {
        List<SimulatedPeer> peers = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            SimulatedPeer p = peer(n);
            p.tracker().announce(p.request(Event.STARTED, n == 0 ? 0 : 1000)); // peer 0 seeds
            peers.add(p);
        }
        for (SimulatedPeer p : peers) {
            AnnounceResponse r = p.tracker().announce(p.request(Event.NONE, p.n() == 0 ? 0 : 1000));
            List<InetSocketAddress> others = peers.stream().filter(o -> o != p).map(SimulatedPeer::address).toList();
            assertThat(r.peers()).as("peer %d", p.n()).containsExactlyInAnyOrderElementsOf(others);
            assertThat(r.seeders()).hasValue(1);
            assertThat(r.leechers()).hasValue(4);
            assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(peers.get(0).tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(1, 4, 0));

        SimulatedPeer finisher = peers.get(1);
        finisher.tracker().announce(finisher.request(Event.COMPLETED, 0));
        assertThat(finisher.tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(2, 3, 1));

        SimulatedPeer leaver = peers.get(2);
        leaver.tracker().announce(leaver.request(Event.STOPPED, 1000));
        AnnounceResponse after = peers.get(3).tracker().announce(peers.get(3).request(Event.NONE, 1000));
        assertThat(after.peers()).hasSize(3).doesNotContain(leaver.address(), peers.get(3).address());
        assertThat(leaver.tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(2, 2, 1));
    }

    @Test
    void announcersKeepTheSwarmInformedAndSayGoodbye() throws Exception {
        Announcer.Config fast = new Announcer.Config(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        int count = 3;
        List<Set<InetSocketAddress>> seen = new ArrayList<>();
        List<Announcer> announcers = new ArrayList<>();
        try (Scope torrent = new Scope("it-torrent")) {
            for (int n = 0; n < count; n++) {
                SimulatedPeer p = peer(n);
                Set<InetSocketAddress> found = ConcurrentHashMap.newKeySet();
                seen.add(found);
                Announcer a = new Announcer(List.of(p.tracker()), () -> p.request(Event.NONE, 1000), found::addAll,
                        fast, new Random(n));
                announcers.add(a);
                torrent.fork("announce " + n, a);
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (int n = 0; n < count; n++) {
                    assertThat(seen.get(n)).as("peers found by %d", n).hasSize(count - 1)
                            .doesNotContain(new InetSocketAddress(LOOPBACK, 7000 + n));
                }
            });
            assertThat(peer(9).tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(0, count, 0));
            assertThat(announcers).allSatisfy(a -> assertThat(a.status().state()).isIn(
                    TrackerStatus.State.WORKING, TrackerStatus.State.UPDATING));
        } // cancelling the scope: each announcer says "stopped" before its thread ends
        assertThat(peer(9).tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(0, 0, 0));
        assertThat(announcers).allSatisfy(a -> assertThat(a.status().state()).isEqualTo(TrackerStatus.State.IDLE));
    }
}
