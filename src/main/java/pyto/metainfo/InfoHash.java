package pyto.metainfo;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 20-byte SHA-1 of a torrent's bencoded info dictionary (BEP 3): the name of a torrent
 * everywhere in the protocol, in handshakes, tracker announces and magnet links.
 */
public record InfoHash(byte[] bytes) {

    public static final int LENGTH = 20;

    public InfoHash {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an info hash is 20 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Parses 40 hex digits, as shown by {@code pyto info} and used in magnet links. */
    public static InfoHash fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an info hash is 40 hex digits: " + hex);
        }
        return new InfoHash(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, the form every client prints. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The raw bytes percent-encoded for a tracker URL (BEP 3): unreserved characters as they
     * are, every other byte as %XX. Trackers compare these bytes, not hex.
     */
    public String urlEncoded() {
        return UrlBytes.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
