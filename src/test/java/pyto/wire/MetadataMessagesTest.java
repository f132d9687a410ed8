package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pyto.wire.WireBytes.ascii;
import static pyto.wire.WireBytes.concat;
import static pyto.wire.WireBytes.extended;
import static pyto.wire.WireBytes.hex;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.UnknownExtended;
import pyto.wire.PeerMessage.Have;

class MetadataMessagesTest {

    private final MessageCodec codec = new MessageCodec(10);

    @Test
    void aDataMessageIsADictionaryAndThenTheRawPiece() throws IOException {
        byte[] payload = concat(ascii("d8:msg_typei1e5:piecei2e10:total_sizei40000ee"), ascii("d1:x"));
        assertThat(MetadataMessages.decode(2, payload)).isEqualTo(new MetadataData(2, 40000, ascii("d1:x")));
    }

    @Test
    void anUnknownMsgTypeIsSkippedAsBep9Asks() throws IOException {
        byte[] payload = ascii("d8:msg_typei3e5:piecei0e3:newi1ee");
        WireBytes.Input in = new WireBytes.Input(concat(extended(2, payload), hex("00000005 04 00000001")));
        assertThat(codec.read(in)).isEqualTo(new UnknownExtended(2, payload.length));
        assertThat(codec.read(in)).isEqualTo(new Have(1));
    }

    @Test
    void refusesWhatBep9DoesNotAllow() {
        refuses("d5:piecei0ee", "ut_metadata message without an integer msg_type");
        refuses("d8:msg_typei0ee", "ut_metadata message without an integer piece");
        refuses("d8:msg_typei0e5:piecei-1ee", "ut_metadata message for piece -1");
        refuses("d8:msg_typei0e5:piecei0eexyz", "ut_metadata request with 3 bytes after its dictionary");
        refuses("d8:msg_typei1e5:piecei0eexyz", "ut_metadata data message with total_size 0");
        refuses("d8:msg_typei1e5:piecei0e10:total_sizei5ee", "ut_metadata data message with a piece of 0 bytes; pieces are 1..16384");
        byte[] tooLong = concat(ascii("d8:msg_typei1e5:piecei0e10:total_sizei99999ee"), new byte[16 * 1024 + 1]);
        assertThatThrownBy(() -> MetadataMessages.decode(2, tooLong))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_metadata data message with a piece of 16385 bytes; pieces are 1..16384");
    }

    @Test
    void encodesCanonically() {
        assertThat(MetadataMessages.encode(new MetadataRequest(5))).isEqualTo(ascii("d8:msg_typei0e5:piecei5ee"));
    }

    private static void refuses(String payload, String message) {
        assertThatThrownBy(() -> MetadataMessages.decode(2, ascii(payload)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage(message);
    }
}
