package pyto.wire;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.StringJoiner;
import pyto.metainfo.InfoHash;

/**
 * The 68 bytes each side sends first on a peer connection (BEP 3):
 * {@code <pstrlen=19><"BitTorrent protocol"><reserved 8><info_hash 20><peer_id 20>}.
 *
 * <p>A dialling side writes its handshake and reads the answer whole ({@link #read}). An
 * accepting side serves many torrents on one port, so it reads the {@link Head} (up to and
 * including the info hash) first, finds the torrent, answers, and only then reads the peer
 * id ({@link #readPeerId}). Runs on the thread that sets up the connection.
 *
 * @param reserved 8 bytes whose bits announce protocol extensions, see {@link Extension}
 */
public record Handshake(byte[] reserved, InfoHash infoHash, PeerId peerId) {

    public static final int LENGTH = 68;
    /** pstrlen, pstr, reserved and info hash: what an accepting side needs to route. */
    public static final int HEAD_LENGTH = 48;
    static final int RESERVED_LENGTH = 8;
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    /** Reserved bits that announce an extension, by byte index (0..7) and mask. */
    public enum Extension {
        /** BEP 10, the extension protocol (ut_metadata, ut_pex, ...). */
        EXTENSION_PROTOCOL(5, 0x10),
        /** BEP 6, the fast extension (have all/none, reject, allowed fast). */
        FAST(7, 0x04),
        /** BEP 5, the DHT: the peer accepts a port message. */
        DHT(7, 0x01);

        private final int index;
        private final int mask;

        Extension(int index, int mask) {
            this.index = index;
            this.mask = mask;
        }
    }

    public Handshake {
        if (reserved.length != RESERVED_LENGTH) {
            throw new IllegalArgumentException("reserved is 8 bytes, not " + reserved.length);
        }
        reserved = reserved.clone();
        if (infoHash == null || peerId == null) {
            throw new NullPointerException("a handshake needs an info hash and a peer id");
        }
    }

    /** A handshake that announces no extensions. */
    public static Handshake of(InfoHash infoHash, PeerId peerId) {
        return new Handshake(new byte[RESERVED_LENGTH], infoHash, peerId);
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    public boolean supports(Extension extension) {
        return (reserved[extension.index] & extension.mask) != 0;
    }

    /** This handshake with {@code extension}'s bit set. */
    public Handshake with(Extension extension) {
        byte[] bits = reserved.clone();
        bits[extension.index] |= (byte) extension.mask;
        return new Handshake(bits, infoHash, peerId);
    }

    /** Writes all 68 bytes in one call. */
    public void write(DataOutput out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH)
                .put((byte) PROTOCOL.length)
                .put(PROTOCOL)
                .put(reserved)
                .put(infoHash.bytes())
                .put(peerId.bytes());
        out.write(buffer.array());
    }

    /** Reads a whole handshake: what a dialling side does with the answer. */
    public static Handshake read(DataInput in) throws IOException {
        return readHead(in).withPeerId(readPeerId(in));
    }

    /**
     * Reads the first 48 bytes. The length byte is checked before anything else is read, so
     * something that is not a BitTorrent peer (an HTTP client, an encrypted handshake) is
     * turned away at once instead of after 47 more bytes.
     */
    public static Head readHead(DataInput in) throws IOException {
        int pstrlen = in.readUnsignedByte();
        if (pstrlen != PROTOCOL.length) {
            throw new ProtocolException("not a BitTorrent handshake: protocol name of " + pstrlen
                    + " bytes, expected 19 (\"BitTorrent protocol\")");
        }
        byte[] rest = new byte[HEAD_LENGTH - 1];
        in.readFully(rest);
        ByteBuffer buffer = ByteBuffer.wrap(rest);
        byte[] pstr = new byte[PROTOCOL.length];
        byte[] reserved = new byte[RESERVED_LENGTH];
        byte[] infoHash = new byte[InfoHash.LENGTH];
        buffer.get(pstr).get(reserved).get(infoHash);
        if (!Arrays.equals(pstr, PROTOCOL)) {
            throw new ProtocolException("not a BitTorrent handshake: protocol name \""
                    + printable(pstr) + "\", expected \"BitTorrent protocol\"");
        }
        return new Head(reserved, new InfoHash(infoHash));
    }

    /** Reads the last 20 bytes, after {@link #readHead}. */
    public static PeerId readPeerId(DataInput in) throws IOException {
        byte[] id = new byte[PeerId.LENGTH];
        in.readFully(id);
        return new PeerId(id);
    }

    /** The first 48 bytes of a handshake: enough to know which torrent the peer wants. */
    public record Head(byte[] reserved, InfoHash infoHash) {

        public Head {
            reserved = reserved.clone();
        }

        @Override
        public byte[] reserved() {
            return reserved.clone();
        }

        public Handshake withPeerId(PeerId peerId) {
            return new Handshake(reserved, infoHash, peerId);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Head other
                    && Arrays.equals(reserved, other.reserved) && infoHash.equals(other.infoHash);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(reserved) + infoHash.hashCode();
        }

        @Override
        public String toString() {
            return "handshake head " + infoHash.hex() + " reserved " + HexFormat.of().formatHex(reserved);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake other
                && Arrays.equals(reserved, other.reserved)
                && infoHash.equals(other.infoHash)
                && peerId.equals(other.peerId);
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(reserved) + infoHash.hashCode()) * 31 + peerId.hashCode();
    }

    /** One line for a trace: {@code handshake <info hash> from <peer id> [fast, dht]}. */
    @Override
    public String toString() {
        StringJoiner extensions = new StringJoiner(", ", " [", "]").setEmptyValue("");
        for (Extension extension : Extension.values()) {
            if (supports(extension)) {
                extensions.add(extension.name().toLowerCase(Locale.ROOT));
            }
        }
        return "handshake " + infoHash.hex() + " from " + peerId + extensions;
    }

    /** The bytes as ASCII, with anything unprintable as \xNN, for an error message. */
    private static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return text.toString();
    }
}
