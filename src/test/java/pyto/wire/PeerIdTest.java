package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PeerIdTest {

    @Test
    void oursIsAzureusStyleWithARandomTail() {
        PeerId one = PeerId.generate();
        PeerId two = PeerId.generate();

        assertThat(new String(one.bytes(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("-PY0100-");
        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void rendersTheClientPrefixAsTextAndTheRestInHex() {
        byte[] qbittorrent = Arrays.copyOf("-qB4650-".getBytes(StandardCharsets.US_ASCII), 20);
        qbittorrent[19] = (byte) 0xab;
        byte[] other = new byte[20];
        other[0] = 'M';

        assertThat(new PeerId(qbittorrent)).hasToString("-qB4650-0000000000000000000000ab");
        assertThat(new PeerId(other)).hasToString("4d" + "00".repeat(19));
    }

    @Test
    void comparesBytes() {
        PeerId id = PeerId.generate();
        assertThat(new PeerId(id.bytes())).isEqualTo(id).hasSameHashCodeAs(id);
    }
}
