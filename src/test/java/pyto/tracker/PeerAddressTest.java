package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CompactPeers} and {@link IpLiteral}: the two ways a tracker writes a peer's address. */
class PeerAddressTest {

    @Test
    void compactPeersRoundTripBothFamilies() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, 2}), 65535);
        InetSocketAddress v6 = new InetSocketAddress(IpLiteral.parse("2001:db8::7").orElseThrow(), 1);
        List<InetSocketAddress> both = List.of(v4, v6);
        byte[] four = CompactPeers.encodeIpv4(both);
        byte[] six = CompactPeers.encodeIpv6(both);
        assertThat(four).containsExactly(192, 168, 1, 2, 0xff, 0xff);
        assertThat(six).hasSize(18);
        assertThat(CompactPeers.decodeIpv4(four)).containsExactly(v4);
        assertThat(CompactPeers.decodeIpv6(six)).containsExactly(v6);
    }

    @Test
    void portZeroEntriesAreSkippedAndBadLengthsRefused() throws TrackerException {
        assertThat(CompactPeers.decodeIpv4(new byte[] {1, 2, 3, 4, 0, 0})).isEmpty();
        assertThatThrownBy(() -> CompactPeers.decodeIpv4(new byte[5])).isInstanceOf(TrackerException.class);
        assertThatThrownBy(() -> CompactPeers.decodeIpv6(new byte[6])).isInstanceOf(TrackerException.class);
    }

    @Test
    void ipLiteralsAreParsedWithoutDns() {
        assertThat(IpLiteral.parse("10.0.0.7")).map(InetAddress::getHostAddress).contains("10.0.0.7");
        assertThat(IpLiteral.parse("::1")).map(InetAddress::isLoopbackAddress).contains(true);
        assertThat(IpLiteral.parse("[2001:db8::1]")).isPresent();
        assertThat(IpLiteral.parse("::ffff:1.2.3.4")).map(InetAddress::getHostAddress).contains("1.2.3.4");
        for (String bad : List.of("localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4",
                "", "::g", ":::::::::1", "abc", ".:1", "1.2.3.4 ", "fe80::1%eth0")) {
            assertThat(IpLiteral.parse(bad)).as(bad).isEmpty();
        }
    }
}
