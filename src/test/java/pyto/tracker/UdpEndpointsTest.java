package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.tracker.AnnounceRequest.Event;

/** BEP 15 answers for a mixed IPv4/IPv6 swarm, without sockets: the source address is given. */
class UdpEndpointsTest {

    private final SwarmRegistry registry = new SwarmRegistry(Clock.systemUTC(), Duration.ofMinutes(2), 1000);
    private final ConnectionIds ids = new ConnectionIds(Clock.systemUTC());
    private final UdpEndpoints endpoints = new UdpEndpoints(registry, ids, Duration.ofSeconds(60));

    /** Announces peer n from {@code from} and returns the compact peers of the answer. */
    private byte[] announce(int n, InetAddress from, int numWant) {
        AnnounceRequest request = UdpTrackerServerTest.announce(n, Event.STARTED).withNumWant(numWant);
        byte[] packet = UdpPackets.announceRequest(ids.issue(from), n, request);
        ByteBuffer answer = ByteBuffer.wrap(endpoints.answer(ByteBuffer.wrap(packet), new InetSocketAddress(from, 40000)).orElseThrow());
        assertThat(answer.getInt()).isEqualTo(UdpPackets.ANNOUNCE);
        answer.position(UdpPackets.ANNOUNCE_REPLY_HEADER);
        return Arrays.copyOfRange(answer.array(), answer.position(), answer.limit());
    }

    private static InetAddress v4(int n) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n});
    }

    private static InetAddress v6(int n) throws Exception {
        return InetAddress.getByName("2001:db8::" + n);
    }

    @Test
    void eachFamilyGetsPeersOfItsOwnFamilyOnly() throws Exception {
        announce(1, v4(1), -1);
        announce(2, v6(2), -1);
        byte[] toV4 = announce(3, v4(3), -1);
        assertThat(CompactPeers.decodeIpv4(toV4)).containsExactly(new InetSocketAddress(v4(1), 7001));
        byte[] toV6 = announce(4, v6(4), -1);
        assertThat(CompactPeers.decodeIpv6(toV6)).containsExactly(new InetSocketAddress(v6(2), 7002));
    }

    @Test
    void theHttpSideSeesBothFamilies() throws Exception {
        announce(1, v4(1), -1);
        announce(2, v6(2), -1);
        byte[] peers6 = announce(3, v6(3), 0); // numwant 0: only registers
        assertThat(peers6).isEmpty();
        List<InetSocketAddress> all = registry.announce(UdpTrackerServerTest.TORRENT, SwarmRegistryTest.peer(9, false),
                Event.NONE, 50).orElseThrow().peers().stream().map(SwarmRegistry.Peer::address).toList();
        assertThat(all).containsExactlyInAnyOrder(new InetSocketAddress(v4(1), 7001), new InetSocketAddress(v6(2), 7002),
                new InetSocketAddress(v6(3), 7003));
    }

    @Test
    void answersStayUnfragmented() throws Exception {
        for (int n = 1; n <= 120; n++) {
            announce(n, v6(n), 0);
        }
        byte[] peers = announce(121, v6(121), 200);
        assertThat(peers.length).isEqualTo(76 * 18);
        assertThat(UdpPackets.ANNOUNCE_REPLY_HEADER + peers.length).isLessThanOrEqualTo(UdpEndpoints.MAX_REPLY);
    }

    @Test
    void theAnnouncedIpFieldIsIgnored() throws Exception {
        byte[] packet = UdpPackets.announceRequest(ids.issue(v4(1)), 1, UdpTrackerServerTest.announce(1, Event.STARTED));
        ByteBuffer.wrap(packet).put(84, new byte[] {1, 2, 3, 4}); // ip: "announce 1.2.3.4 for me"
        endpoints.answer(ByteBuffer.wrap(packet), new InetSocketAddress(v4(1), 40000)).orElseThrow();
        byte[] seen = announce(2, v4(2), -1);
        assertThat(CompactPeers.decodeIpv4(seen)).containsExactly(new InetSocketAddress(v4(1), 7001));
    }
}
