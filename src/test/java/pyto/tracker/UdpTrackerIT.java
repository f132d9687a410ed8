package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.concurrent.Scope;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * A swarm on loopback meets through the embedded tracker over UDP (BEP 15): simulated peers
 * announce through the real {@link UdpTracker}, alone, mixed with HTTP peers, with announcers on
 * their own threads, and over IPv6 where the machine has it.
 */
class UdpTrackerIT {

    static final InfoHash TORRENT = SwarmRegistryTest.hash(42);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final Trackers.Config QUICK = Trackers.Config.DEFAULTS.withUdpSchedule(Duration.ofMillis(500), 2);

    private int threadsBefore;
    private final List<TrackerServer> servers = new ArrayList<>();

    @BeforeEach
    void countThreads() {
        threadsBefore = Scope.liveThreads();
    }

    @AfterEach
    void stop() {
        servers.forEach(TrackerServer::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> Scope.liveThreads() == threadsBefore);
    }

    private TrackerServer server(InetAddress bind) throws IOException {
        TrackerServer server = TrackerServer.start(new InetSocketAddress(bind, 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(1)));
        servers.add(server);
        return server;
    }

    /** Simulated peer n: its own client, peer id and port 7000 + n, on {@code address}. */
    private record SimulatedPeer(int n, Tracker tracker, InetAddress address) {
        AnnounceRequest request(Event event, long left) {
            byte[] id = String.format("-PY0001-peer%08d", n).getBytes(StandardCharsets.US_ASCII);
            return new AnnounceRequest(TORRENT, id, 7000 + n, 0, 0, left, event, 50, n);
        }

        InetSocketAddress peerAddress() {
            return new InetSocketAddress(address, 7000 + n);
        }
    }

    private static SimulatedPeer udpPeer(int n, TrackerServer server) {
        return new SimulatedPeer(n, Trackers.forUrl(server.udpAnnounceUrl().orElseThrow(), QUICK).orElseThrow(), LOOPBACK);
    }

    private static SimulatedPeer httpPeer(int n, TrackerServer server) {
        return new SimulatedPeer(n, Trackers.forUrl(server.announceUrl()).orElseThrow(), LOOPBACK);
    }

    private static List<InetSocketAddress> othersThan(SimulatedPeer p, List<SimulatedPeer> all) {
        return all.stream().filter(o -> o != p).map(SimulatedPeer::peerAddress).toList();
    }

    @Test
    void udpPeersSeeEachOtherAndScrapeCountsThem() throws Exception {
        TrackerServer server = server(LOOPBACK);
        assertThat(server.udpPort()).hasValue(server.port());
        List<SimulatedPeer> peers = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            SimulatedPeer p = udpPeer(n, server);
            p.tracker().announce(p.request(Event.STARTED, n == 0 ? 0 : 1000)); // peer 0 seeds
            peers.add(p);
        }
        for (SimulatedPeer p : peers) {
            AnnounceResponse r = p.tracker().announce(p.request(Event.NONE, p.n() == 0 ? 0 : 1000));
            assertThat(r.peers()).as("peer %d", p.n()).containsExactlyInAnyOrderElementsOf(othersThan(p, peers));
            assertThat(r.seeders()).hasValue(1);
            assertThat(r.leechers()).hasValue(4);
            assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
        }
        SimulatedPeer finisher = peers.get(1);
        finisher.tracker().announce(finisher.request(Event.COMPLETED, 0));
        assertThat(finisher.tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(2, 3, 1));

        SimulatedPeer leaver = peers.get(2);
        leaver.tracker().announce(leaver.request(Event.STOPPED, 1000).withNumWant(0), Duration.ofSeconds(2));
        AnnounceResponse after = peers.get(3).tracker().announce(peers.get(3).request(Event.NONE, 1000));
        assertThat(after.peers()).hasSize(3).doesNotContain(leaver.peerAddress());
        assertThat(leaver.tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(2, 2, 1));
    }

    @Test
    void httpAndUdpPeersOfOneTorrentMeet() throws Exception {
        TrackerServer server = server(LOOPBACK);
        List<SimulatedPeer> peers = List.of(httpPeer(0, server), udpPeer(1, server), httpPeer(2, server), udpPeer(3, server));
        for (SimulatedPeer p : peers) {
            p.tracker().announce(p.request(Event.STARTED, 1000));
        }
        for (SimulatedPeer p : peers) {
            assertThat(p.tracker().announce(p.request(Event.NONE, 1000)).peers()).as("peer %d via %s", p.n(), p.tracker().url())
                    .containsExactlyInAnyOrderElementsOf(othersThan(p, peers));
        }
        assertThat(peers.get(0).tracker().scrape(TORRENT)).isEqualTo(peers.get(1).tracker().scrape(TORRENT))
                .isEqualTo(new ScrapeResponse(0, 4, 0));
    }

    @Test
    void announcersOverUdpKeepTheSwarmInformedAndSayGoodbye() throws Exception {
        TrackerServer server = server(LOOPBACK);
        Announcer.Config fast = new Announcer.Config(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        int count = 3;
        List<Set<InetSocketAddress>> seen = new ArrayList<>();
        List<Announcer> announcers = new ArrayList<>();
        try (Scope torrent = new Scope("udp-it-torrent")) {
            for (int n = 0; n < count; n++) {
                SimulatedPeer p = udpPeer(n, server);
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
            assertThat(udpPeer(9, server).tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(0, count, 0));
        } // cancelling the scope: each announcer sends "stopped" over UDP before its thread ends
        assertThat(udpPeer(9, server).tracker().scrape(TORRENT)).isEqualTo(new ScrapeResponse(0, 0, 0));
        assertThat(announcers).allSatisfy(a -> assertThat(a.status().state()).isEqualTo(TrackerStatus.State.IDLE));
    }

    @Test
    void ipv6PeersGetIpv6PeersOverUdpAndPeers6OverHttp() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback6, 0))) {
            assertThat(probe.getLocalPort()).isPositive();
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback on this machine: " + e);
        }
        TrackerServer server = server(loopback6);
        assertThat(server.udpAnnounceUrl()).hasValueSatisfying(url -> assertThat(url).startsWith("udp://[0:0:0:0:0:0:0:1]:"));
        List<SimulatedPeer> peers = List.of(
                new SimulatedPeer(0, Trackers.forUrl(server.udpAnnounceUrl().orElseThrow(), QUICK).orElseThrow(), loopback6),
                new SimulatedPeer(1, Trackers.forUrl(server.udpAnnounceUrl().orElseThrow(), QUICK).orElseThrow(), loopback6),
                new SimulatedPeer(2, Trackers.forUrl(server.announceUrl()).orElseThrow(), loopback6));
        for (SimulatedPeer p : peers) {
            p.tracker().announce(p.request(Event.STARTED, 1000));
        }
        for (SimulatedPeer p : peers) {
            assertThat(p.tracker().announce(p.request(Event.NONE, 1000)).peers()).as("peer %d", p.n())
                    .containsExactlyInAnyOrderElementsOf(othersThan(p, peers));
        }
    }
}
