package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.wire.PeerMessage.Bitfield;
import pyto.wire.PeerMessage.Cancel;
import pyto.wire.PeerMessage.Choke;
import pyto.wire.PeerMessage.Have;
import pyto.wire.PeerMessage.Interested;
import pyto.wire.PeerMessage.KeepAlive;
import pyto.wire.PeerMessage.NotInterested;
import pyto.wire.PeerMessage.Piece;
import pyto.wire.PeerMessage.Request;
import pyto.wire.PeerMessage.Unchoke;
import pyto.wire.PeerMessage.Unknown;

class MessageCodecTest {

    /** 1000 pieces: a 125-byte bitfield, no spare bits; 1001 would have 7. */
    private final MessageCodec codec = new MessageCodec(1000);

    @Test
    void everyMessageSurvivesARoundTrip() throws IOException {
        byte[] bits = new byte[125];
        bits[0] = (byte) 0x80;
        bits[124] = 0x01;
        byte[] block = new byte[16 * 1024];
        Arrays.fill(block, (byte) 7);
        List<PeerMessage> messages = List.of(
                new KeepAlive(), new Choke(), new Unchoke(), new Interested(), new NotInterested(),
                new Have(999), new Bitfield(bits), new Request(3, 16384, 16384),
                new Piece(3, 16384, block), new Cancel(3, 16384, 16384));

        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        for (PeerMessage message : messages) {
            codec.write(out, message);
        }
        DataInputStream in = input(buffer.toByteArray());

        for (PeerMessage message : messages) {
            assertThat(codec.read(in)).isEqualTo(message);
        }
        assertThatThrownBy(() -> codec.read(in)).isInstanceOf(EOFException.class);
    }

    @Test
    void writesTheLayoutOfBep3() throws IOException {
        assertThat(hex(new Have(1))).isEqualTo("000000050400000001");
        assertThat(hex(new Request(1, 2, 3))).isEqualTo("0000000d06000000010000000200000003");
        assertThat(hex(new Piece(1, 2, new byte[] {9}))).isEqualTo("0000000a07000000010000000209");
        assertThat(hex(new KeepAlive())).isEqualTo("00000000");
        assertThat(hex(new NotInterested())).isEqualTo("0000000103");
    }

    @Test
    void writePieceSendsASliceOfABuffer() throws IOException {
        byte[] reused = {0, 0, 5, 6, 7, 0};
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        codec.writePiece(new DataOutputStream(buffer), 2, 32768, reused, 2, 3);

        assertThat(codec.read(input(buffer.toByteArray())))
                .isEqualTo(new Piece(2, 32768, new byte[] {5, 6, 7}));
    }

    @Test
    void aLengthPrefixOf2GiBIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> codec.read(input(bytes("80000000 07"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("message of 2147483648 bytes exceeds the limit of 65538 bytes for this torrent");
    }

    @Test
    void theLimitIsAnExtendedHandshakeOrABitfieldWhicheverIsLarger() {
        assertThat(new MessageCodec(10).maxLength()).isEqualTo(2 + 64 * 1024);
        assertThat(new MessageCodec(1_000_000).maxLength()).isEqualTo(1 + 125_000);
    }

    @Test
    void aBlockLargerThan16KiBIsRefused() {
        byte[] header = ByteBuffer.allocate(5).putInt(9 + 16 * 1024 + 5).put((byte) 7).array();
        assertThatThrownBy(() -> codec.read(input(header)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("piece message with a block of 16389 bytes exceeds the limit of 16384 bytes");
    }

    @Test
    void aBitfieldOfTheWrongSizeIsRefused() {
        byte[] tooLong = ByteBuffer.allocate(4 + 1 + 126).putInt(1 + 126).put((byte) 5).array();
        assertThatThrownBy(() -> codec.read(input(tooLong)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("bitfield message of 127 bytes, expected 126");
    }

    @Test
    void aBitfieldWithSpareBitsSetIsRefused() throws IOException {
        MessageCodec tenPieces = new MessageCodec(10);  // 2 bytes, the last 6 bits spare
        assertThat(tenPieces.read(input(bytes("00000003 05 ffc0"))))
                .isEqualTo(new Bitfield(bytes("ffc0")));
        assertThatThrownBy(() -> tenPieces.read(input(bytes("00000003 05 ffe0"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("bitfield has spare bits set after the last of 10 pieces");
    }

    @Test
    void eachMessageMustHaveTheLengthOfItsId() {
        assertThatThrownBy(() -> codec.read(input(bytes("00000002 00 00"))))
                .isInstanceOf(ProtocolException.class).hasMessage("choke message of 2 bytes, expected 1");
        assertThatThrownBy(() -> codec.read(input(bytes("00000004 04 000000"))))
                .isInstanceOf(ProtocolException.class).hasMessage("have message of 4 bytes, expected 5");
        assertThatThrownBy(() -> codec.read(input(bytes("0000000e 06 00000001 00000000 00004000 00"))))
                .isInstanceOf(ProtocolException.class).hasMessage("request message of 14 bytes, expected 13");
        assertThatThrownBy(() -> codec.read(input(bytes("0000000c 08 00000001 00000000 000040"))))
                .isInstanceOf(ProtocolException.class).hasMessage("cancel message of 12 bytes, expected 13");
        assertThatThrownBy(() -> codec.read(input(bytes("00000009 07 00000001 00000000"))))
                .isInstanceOf(ProtocolException.class).hasMessage("piece message of 9 bytes carries no data");
    }

    @Test
    void pieceIndexesOutsideTheTorrentAreRefused() {
        assertThatThrownBy(() -> codec.read(input(bytes("00000005 04 000003e8"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("have for piece 1000 of a torrent with 1000 pieces");
        assertThatThrownBy(() -> codec.read(input(bytes("0000000d 06 00000001 ffffffff 00004000"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("request with offset or length 4294967295 beyond any piece");
    }

    @Test
    void aTruncatedStreamEndsInEofException() {
        assertThatThrownBy(() -> codec.read(input(bytes("0000"))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> codec.read(input(bytes("0000000d 06 00000001"))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> codec.read(input(bytes("0000000a 07 00000001 00000000"))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> codec.read(input(bytes("00000010 14 0102"))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void anUnknownMessageIsSkippedAndTheNextOneIsRead() throws IOException {
        // BEP 52's hash request: id 21, 3 bytes of payload we do not read; then have 7
        DataInputStream in = input(bytes("00000004 15 00 6465 00000005 04 00000007"));

        assertThat(codec.read(in)).isEqualTo(new Unknown(21, 3));
        assertThat(codec.read(in)).isEqualTo(new Have(7));
    }

    @Test
    void refusesToSendWhatItCannotSendCorrectly() {
        DataOutputStream out = new DataOutputStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> codec.write(out, new Unknown(20, 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.write(out, new Bitfield(new byte[124])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.write(out, new Piece(0, 0, new byte[16 * 1024 + 1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachMessageTracesAsOneLine() {
        byte[] bits = new byte[125];
        bits[0] = (byte) 0xf0;
        assertThat(new Piece(3, 16384, new byte[16384])).hasToString("piece 3 @16384 (16384 bytes)");
        assertThat(new Bitfield(bits)).hasToString("bitfield 4 pieces (125 bytes)");
        assertThat(new Request(3, 0, 16384)).hasToString("request 3 @0 (16384 bytes)");
        assertThat(new Have(12)).hasToString("have 12");
        assertThat(new KeepAlive()).hasToString("keep-alive");
        assertThat(new Unknown(20, 3)).hasToString("unknown message id 20 (3 bytes)");
    }

    private String hex(PeerMessage message) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        codec.write(new DataOutputStream(buffer), message);
        return HexFormat.of().formatHex(buffer.toByteArray());
    }

    private static byte[] bytes(String spacedHex) {
        return HexFormat.of().parseHex(spacedHex.replace(" ", ""));
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
