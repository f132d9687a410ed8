package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pyto.wire.WireBytes.hex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.wire.PeerMessage.AllowedFast;
import pyto.wire.PeerMessage.Bitfield;
import pyto.wire.PeerMessage.Have;
import pyto.wire.PeerMessage.HaveAll;
import pyto.wire.PeerMessage.HaveNone;
import pyto.wire.PeerMessage.Port;
import pyto.wire.PeerMessage.Reject;
import pyto.wire.PeerMessage.SuggestPiece;

/** BEP 5's port message and BEP 6's fast extension through {@link MessageCodec}. */
class FastAndPortMessagesTest {

    private final MessageCodec codec = new MessageCodec(1000);

    @Test
    void eachSurvivesARoundTrip() throws IOException {
        List<PeerMessage> messages = List.of(new Port(6881), new Port(65535), new SuggestPiece(999),
                new HaveAll(), new HaveNone(), new Reject(3, 16384, 16384), new AllowedFast(0));
        for (PeerMessage message : messages) {
            WireBytes.Input in = new WireBytes.Input(WireBytes.written(codec, message, ExtensionIds.NONE));
            assertThat(codec.read(in)).isEqualTo(message);
            assertThat(in.unread()).isZero();
        }
    }

    @Test
    void writesTheLayoutsOfBep5AndBep6() throws IOException {
        assertThat(written(new HaveAll())).isEqualTo("000000010e");
        assertThat(written(new HaveNone())).isEqualTo("000000010f");
        assertThat(written(new Port(6881))).isEqualTo("00000003091ae1");
        assertThat(written(new SuggestPiece(5))).isEqualTo("000000050d00000005");
        assertThat(written(new Reject(1, 2, 3))).isEqualTo("0000000d10000000010000000200000003");
        assertThat(written(new AllowedFast(7))).isEqualTo("000000051100000007");
    }

    @Test
    void eachMustHaveTheLengthOfItsId() {
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(hex("00000002 0e 00"))))
                .isInstanceOf(ProtocolException.class).hasMessage("have all message of 2 bytes, expected 1");
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(hex("00000005 09 00001ae1"))))
                .isInstanceOf(ProtocolException.class).hasMessage("port message of 5 bytes, expected 3");
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(hex("00000009 10 00000001 00000000"))))
                .isInstanceOf(ProtocolException.class).hasMessage("reject message of 9 bytes, expected 13");
    }

    @Test
    void pieceIndexesAreCheckedAsForHave() {
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(hex("00000005 11 000003e8"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("allowed fast for piece 1000 of a torrent with 1000 pieces");
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(hex("00000005 0d ffffffff"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("suggest piece for piece 4294967295 of a torrent with 1000 pieces");
    }

    @Test
    void aPortIsTwoUnsignedBytes() throws IOException {
        assertThat(codec.read(new WireBytes.Input(hex("00000003 09 ffff")))).isEqualTo(new Port(65535));
        assertThatThrownBy(() -> new Port(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutMetadataABitfieldOfAnyLengthUpToTheCapIsTaken() throws IOException {
        MessageCodec magnet = MessageCodec.withoutMetadata();
        int cap = (8 * 1024 * 1024 / 20 + 7) / 8;
        assertThat(MessageCodec.MAX_BITFIELD_WITHOUT_METADATA).isEqualTo(cap).isEqualTo(52_429);
        assertThat(magnet.knowsPieceCount()).isFalse();
        assertThat(magnet.pieceCount()).isEmpty();
        assertThat(codec.knowsPieceCount()).isTrue();
        assertThat(codec.pieceCount()).hasValue(1000);

        for (int length : new int[] {0, 1, 3, 125, cap}) {
            byte[] bits = new byte[length];
            Arrays.fill(bits, (byte) 0xff);                     // spare bits cannot be judged
            Bitfield bitfield = new Bitfield(bits);
            byte[] wire = WireBytes.written(magnet, bitfield, ExtensionIds.NONE);
            assertThat(magnet.read(new WireBytes.Input(wire))).isEqualTo(bitfield);
        }
        byte[] tooLong = ByteBuffer.allocate(5 + cap + 1).putInt(1 + cap + 1).put((byte) 5).array();
        WireBytes.Input in = new WireBytes.Input(tooLong);
        assertThatThrownBy(() -> magnet.read(in))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("bitfield of 52430 bytes exceeds the limit of 52429 bytes (the largest metadata we fetch)");
        assertThat(in.unread()).isEqualTo(cap + 1);
    }

    @Test
    void withoutMetadataPieceIndexesNeedOnlyBeNonNegative() throws IOException {
        MessageCodec magnet = MessageCodec.withoutMetadata();
        assertThat(magnet.read(new WireBytes.Input(hex("00000005 04 7fffffff")))).isEqualTo(new Have(Integer.MAX_VALUE));
        assertThat(magnet.read(new WireBytes.Input(hex("00000005 11 00100000")))).isEqualTo(new AllowedFast(1 << 20));
        assertThatThrownBy(() -> magnet.read(new WireBytes.Input(hex("00000005 04 80000000"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("have for piece 2147483648");
        assertThatThrownBy(() -> magnet.read(new WireBytes.Input(hex("0000000d 10 ffffffff 00000000 00004000"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("reject for piece 4294967295");
    }

    @Test
    void eachTracesAsOneLine() {
        assertThat(new Port(6881)).hasToString("port 6881");
        assertThat(new SuggestPiece(4)).hasToString("suggest piece 4");
        assertThat(new HaveAll()).hasToString("have all");
        assertThat(new HaveNone()).hasToString("have none");
        assertThat(new Reject(3, 0, 16384)).hasToString("reject 3 @0 (16384 bytes)");
        assertThat(new AllowedFast(12)).hasToString("allowed fast 12");
    }

    private String written(PeerMessage message) throws IOException {
        return hex(WireBytes.written(codec, message, ExtensionIds.NONE));
    }
}
