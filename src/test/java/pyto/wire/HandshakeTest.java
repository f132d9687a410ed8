package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pyto.metainfo.InfoHash;
import pyto.wire.Handshake.Extension;

class HandshakeTest {

    private static final InfoHash INFO_HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    private static final PeerId PEER_ID = PeerId.generate(new Random(1));

    @Test
    void writesThe68BytesOfBep3() throws IOException {
        byte[] bytes = bytes(Handshake.of(INFO_HASH, PEER_ID).with(Extension.FAST));

        assertThat(bytes).hasSize(68);
        assertThat(bytes[0]).isEqualTo((byte) 19);
        assertThat(new String(bytes, 1, 19, StandardCharsets.US_ASCII)).isEqualTo("BitTorrent protocol");
        assertThat(HexFormat.of().formatHex(bytes, 20, 28)).isEqualTo("0000000000000004");
        assertThat(Arrays.copyOfRange(bytes, 28, 48)).isEqualTo(INFO_HASH.bytes());
        assertThat(Arrays.copyOfRange(bytes, 48, 68)).isEqualTo(PEER_ID.bytes());
    }

    @Test
    void survivesARoundTrip() throws IOException {
        Handshake sent = Handshake.of(INFO_HASH, PEER_ID).with(Extension.EXTENSION_PROTOCOL).with(Extension.DHT);

        Handshake read = Handshake.read(input(bytes(sent)));

        assertThat(read).isEqualTo(sent).hasSameHashCodeAs(sent);
        assertThat(read.supports(Extension.EXTENSION_PROTOCOL)).isTrue();
        assertThat(read.supports(Extension.DHT)).isTrue();
        assertThat(read.supports(Extension.FAST)).isFalse();
        assertThat(read.reserved()).containsExactly(0, 0, 0, 0, 0, 0x10, 0, 0x01);
    }

    @Test
    void anAcceptingSideReadsTheInfoHashBeforeThePeerId() throws IOException {
        DataInputStream in = input(bytes(Handshake.of(INFO_HASH, PEER_ID)));

        Handshake.Head head = Handshake.readHead(in);
        assertThat(head.infoHash()).isEqualTo(INFO_HASH);
        assertThat(in.available()).isEqualTo(20);  // the peer id is still unread

        assertThat(head.withPeerId(Handshake.readPeerId(in))).isEqualTo(Handshake.of(INFO_HASH, PEER_ID));
    }

    @Test
    void somethingElseThanBitTorrentIsTurnedAwayAtTheFirstByte() {
        byte[] http = "GET /announce HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Handshake.read(input(http)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("not a BitTorrent handshake: protocol name of 71 bytes, expected 19 (\"BitTorrent protocol\")");
    }

    @Test
    void aWrongProtocolNameIsRefused() throws IOException {
        byte[] bytes = bytes(Handshake.of(INFO_HASH, PEER_ID));
        System.arraycopy("BitTorrent pr\u00f6tocol".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 1, 19);

        assertThatThrownBy(() -> Handshake.read(input(bytes)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("not a BitTorrent handshake: protocol name \"BitTorrent pr\\xf6tocol\", expected \"BitTorrent protocol\"");
    }

    @Test
    void aShortHandshakeEndsInEofException() throws IOException {
        byte[] bytes = Arrays.copyOf(bytes(Handshake.of(INFO_HASH, PEER_ID)), 60);

        assertThatThrownBy(() -> Handshake.read(input(bytes))).isInstanceOf(EOFException.class);
    }

    @Test
    void comparesContentsNotArrays() {
        Handshake a = new Handshake(new byte[8], INFO_HASH, PEER_ID);
        Handshake b = new Handshake(new byte[8], INFO_HASH, new PeerId(PEER_ID.bytes()));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.with(Extension.FAST)).isNotEqualTo(b);
        assertThat(a.with(Extension.FAST).toString())
                .isEqualTo("handshake 0123456789abcdef0123456789abcdef01234567 from " + PEER_ID + " [fast]");
    }

    private static byte[] bytes(Handshake handshake) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        handshake.write(new DataOutputStream(buffer));
        return buffer.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
