package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pyto.dht.DhtConfig;
import pyto.dht.DhtNode;
import pyto.metainfo.InfoHash;

/** {@code pyto dht lookup} against a few nodes on 127.0.0.1, one of which announced a torrent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhtCommandTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void lookupShowsEachHopAndThePeersFound() throws Exception {
        InfoHash hash = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
        List<DhtNode> nodes = new ArrayList<>();
        try {
            DhtNode router = DhtNode.start(DhtConfig.of(LOOPBACK, 0));
            nodes.add(router);
            InetSocketAddress routerAddress = new InetSocketAddress(LOOPBACK, router.port());
            for (int i = 0; i < 9; i++) {
                DhtNode node = DhtNode.start(DhtConfig.of(LOOPBACK, 0).withBootstrap(List.of(routerAddress)));
                nodes.add(node);
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> node.status().nodes() > 0);
            }
            assertThat(nodes.get(5).announce(hash, 51413, false).announced()).isPositive();

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code = new DhtCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(
                    "lookup", "magnet:?xt=urn:btih:" + hash.hex() + "&dn=hello", "--bind", "127.0.0.1",
                    "--bootstrap", "127.0.0.1:" + router.port()));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(code).as(out).isZero();
            assertThat(out).contains("Looking up " + hash.hex())
                    .contains("  ask    ").contains("  answer ").contains("bits in common")
                    .contains("a token to announce with")
                    .contains("1 peer found:").contains("  127.0.0.1:51413");
        } finally {
            nodes.forEach(DhtNode::close);
        }
    }

    @Test
    void targetsAreHexBase32OrMagnetLinks() throws Exception {
        InfoHash hash = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
        // base32 of the same 20 bytes
        String base32 = "AERUKZ4JVPG66AJDIVTYTK6N54ASGRLH";
        assertThat(DhtCommand.parseTarget(hash.hex().toUpperCase())).isEqualTo(hash);
        assertThat(DhtCommand.parseTarget(base32)).isEqualTo(hash);
        assertThat(DhtCommand.parseTarget("magnet:?dn=x&xt=urn:btih:" + base32.toLowerCase() + "&tr=udp://t")).isEqualTo(hash);
        assertThatThrownBy(() -> DhtCommand.parseTarget("magnet:?dn=x")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> DhtCommand.parseTarget("0123")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new DhtCommand(System.out).run(List.of("lookup"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> new DhtCommand(System.out).run(List.of("--state"))).isInstanceOf(UsageException.class);
    }
}
