package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pyto.bencode.BDict;
import pyto.bencode.BString;

/** Replies for a mixed IPv4/IPv6 swarm (BEP 7), without sockets: the remote address is given. */
class TrackerEndpointsTest {

    private final TrackerEndpoints endpoints = new TrackerEndpoints(
            new SwarmRegistry(Clock.systemUTC(), Duration.ofMinutes(2), 100), Duration.ofSeconds(60), Duration.ofSeconds(30));

    private BDict announce(int n, InetAddress from) {
        String target = TrackerServerTest.announce(n, "").split(" ")[1];
        return endpoints.answer(new RequestHead(target), from);
    }

    @Test
    void ipv6PeersGoInPeers6AndIpv4PeersInPeers() throws Exception {
        InetAddress v4 = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        InetAddress v6 = IpLiteral.parse("2001:db8::9").orElseThrow();
        announce(1, v4);
        BDict toV6 = announce(2, v6);
        assertThat(toV6.string("peers").map(BString::bytes).orElseThrow()).containsExactly(10, 0, 0, 1, 7001 >> 8, 7001 & 0xff);
        assertThat(toV6.containsKey("peers6")).isFalse();

        BDict toV4 = announce(3, v4);
        assertThat(toV4.string("peers").map(BString::length)).contains(6); // peer 1 only: not itself
        byte[] six = toV4.string("peers6").map(BString::bytes).orElseThrow();
        assertThat(CompactPeers.decodeIpv6(six)).singleElement()
                .satisfies(p -> assertThat(p.getAddress()).isEqualTo(v6))
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(7002));
        assertThat(toV4.integer("interval")).contains(60L);
        assertThat(toV4.integer("min interval")).contains(30L);
    }

    @Test
    void withoutCompactIpv6PeersAreDictionariesWithTheirLiteral() throws Exception {
        InetAddress v6 = IpLiteral.parse("2001:db8::9").orElseThrow();
        announce(1, v6);
        String target = TrackerServerTest.announce(2, "&compact=0").split(" ")[1];
        BDict reply = endpoints.answer(new RequestHead(target), InetAddress.getByAddress(new byte[] {10, 0, 0, 2}));
        BDict peer = (BDict) reply.list("peers").orElseThrow().values().get(0);
        assertThat(peer.string("ip").map(BString::text).flatMap(IpLiteral::parse)).contains(v6);
        assertThat(peer.integer("port")).contains(7001L);
        assertThat(reply.containsKey("peers6")).isFalse();
    }
}
