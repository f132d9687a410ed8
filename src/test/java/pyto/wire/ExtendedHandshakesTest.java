package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pyto.wire.WireBytes.ascii;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import pyto.wire.ExtensionMessage.ExtendedHandshake;

class ExtendedHandshakesTest {

    @Test
    void anIdOfZeroSwitchesAnExtensionOffAndJunkIdsAreIgnored() throws ProtocolException {
        ExtendedHandshake handshake = ExtendedHandshakes.decode(
                ascii("d1:md1:ai0e1:bi256e1:c1:x1:di-1e1:ei255e1:fi1eee"));
        assertThat(handshake.extensions()).containsExactlyInAnyOrderEntriesOf(Map.of("e", 255, "f", 1));
        assertThat(handshake.ids().supports("a")).isFalse();
    }

    @Test
    void knownKeysWithValuesThatMakeNoSenseAreAbsentAndUnknownKeysAreIgnored() throws ProtocolException {
        ExtendedHandshake handshake = ExtendedHandshakes.decode(ascii(
                "d1:m1:x1:pi0e4:reqqi0e1:vi7e6:yourip5:abcde13:metadata_size1:x11:upload_onlyi0e7:unknownle"
                        + "12:complete_agoi-1ee"));
        assertThat(handshake).isEqualTo(ExtendedHandshake.of(ExtensionIds.NONE));
        assertThat(ExtendedHandshakes.decode(ascii("d1:pi65536e4:reqqi2147483648ee")).listenPort()).isEmpty();
        assertThat(ExtendedHandshakes.decode(ascii("de"))).isEqualTo(ExtendedHandshake.of(ExtensionIds.NONE));
    }

    @Test
    void keepsTheValuesItKnows() throws Exception {
        ExtendedHandshake handshake = ExtendedHandshakes.decode(ascii("d1:pi65535e4:reqqi1e11:upload_onlyi1e"
                + "13:metadata_sizei-5e6:yourip16:\u0020\u0001\r\u00b8\0\0\0\0\0\0\0\0\0\0\0\u0001e"));
        assertThat(handshake.listenPort()).hasValue(65535);
        assertThat(handshake.requestQueue()).hasValue(1);
        assertThat(handshake.uploadOnly()).isTrue();
        assertThat(handshake.metadataSize()).hasValue(-5);          // the peer layer judges it
        assertThat(handshake.yourIp()).contains(InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void refusesToBuildWhatCannotBeSent() {
        assertThatThrownBy(() -> ExtendedHandshake.of(ExtensionIds.NONE).withListenPort(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtendedHandshake.of(ExtensionIds.NONE).withRequestQueue(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExtendedHandshake(Map.of("ut_pex", 0), OptionalInt.empty(),
                Optional.empty(), OptionalInt.empty(), Optional.empty(),
                OptionalLong.empty(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
