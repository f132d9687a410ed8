package pyto.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Bytes for codec tests: hex with spaces, ASCII, and what a codec writes. */
final class WireBytes {

    private WireBytes() {
    }

    static byte[] hex(String spacedHex) {
        return HexFormat.of().parseHex(spacedHex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Bytes one after the other. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** An extended message (BEP 10) as it stands on the wire: {@code <len><20><id><payload>}. */
    static byte[] extended(int id, byte[] payload) {
        return concat(ByteBuffer.allocate(6).putInt(2 + payload.length).put((byte) 20).put((byte) id).array(),
                payload);
    }

    static byte[] written(MessageCodec codec, PeerMessage message, ExtensionIds remote) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        codec.write(new DataOutputStream(buffer), message, remote);
        return buffer.toByteArray();
    }

    /** A stream that can say how much of it is left unread. */
    static final class Input extends DataInputStream {
        private final ByteArrayInputStream bytes;

        Input(byte[] data) {
            this(new ByteArrayInputStream(data));
        }

        private Input(ByteArrayInputStream bytes) {
            super(bytes);
            this.bytes = bytes;
        }

        int unread() {
            return bytes.available();
        }
    }
}
