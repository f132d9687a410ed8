package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.UploadOnly;

class ExtensionIdsTest {

    @Test
    void oursAreLibtorrents() {
        assertThat(ExtensionIds.OURS.asMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of("upload_only", 3, "ut_metadata", 2, "ut_pex", 1));
        assertThat(ExtensionIds.OURS.id(ExtensionIds.UT_PEX)).hasValue(1);
        assertThat(ExtensionIds.OURS.name(2)).contains("ut_metadata");
        assertThat(ExtensionIds.OURS.name(9)).isEmpty();
        assertThat(ExtensionIds.NONE.supports(ExtensionIds.UT_METADATA)).isFalse();
        assertThat(ExtensionIds.NONE.id(ExtensionIds.UT_METADATA)).isEmpty();
    }

    @Test
    void idsAre1To255() {
        assertThatThrownBy(() -> ExtensionIds.of(Map.of("ut_pex", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionIds.of(Map.of("ut_pex", 256))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ExtensionIds.of(Map.of("ut_pex", 255)).id("ut_pex")).hasValue(255);
    }

    @Test
    void canSendWhatThePeerAnnounced() {
        ExtensionIds metadataOnly = ExtensionIds.of(Map.of("ut_metadata", 4));
        assertThat(metadataOnly.canSend(ExtendedHandshake.of(ExtensionIds.OURS))).isTrue();
        assertThat(metadataOnly.canSend(new MetadataRequest(0))).isTrue();
        assertThat(metadataOnly.canSend(new MetadataData(0, 1, new byte[1]))).isTrue();
        assertThat(metadataOnly.canSend(new MetadataReject(0))).isTrue();
        assertThat(metadataOnly.canSend(new PeerExchange(List.of(), List.of()))).isFalse();
        assertThat(metadataOnly.canSend(new UploadOnly(true))).isFalse();
        assertThat(ExtensionIds.NONE.canSend(ExtendedHandshake.of(ExtensionIds.OURS))).isTrue();
    }

    @Test
    void comesFromAHandshakesM() {
        ExtendedHandshake handshake = ExtendedHandshake.of(ExtensionIds.of(Map.of("ut_pex", 7)));
        assertThat(handshake.ids()).isEqualTo(ExtensionIds.of(Map.of("ut_pex", 7)));
        assertThat(handshake.ids()).hasToString("{ut_pex=7}");
    }
}
