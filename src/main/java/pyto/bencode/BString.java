package pyto.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A bencoded byte string: {@code 4:spam}.
 *
 * <p>It holds bytes, not text: piece hashes, compact peer lists and peer ids are binary, and
 * even names are only UTF-8 by convention. Records compare arrays by identity, so equality
 * and hashing are written out to compare contents; the array is copied in and out so that a
 * value can never change after it is made.
 */
public record BString(byte[] bytes) implements BValue, Comparable<BString> {

    public BString {
        bytes = bytes.clone();
    }

    public static BString of(String text) {
        return new BString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes read as UTF-8 (malformed sequences become U+FFFD). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** BEP 3 sorts dictionary keys "as raw strings": unsigned bytes, compared in order. */
    @Override
    public int compareTo(BString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Printable strings as text, anything else (hashes, compact peers) as hex. */
    @Override
    public String toString() {
        for (byte b : bytes) {
            if (b < 0x20 || b == 0x7f) {
                return "0x" + HexFormat.of().formatHex(bytes);
            }
        }
        return '"' + text() + '"';
    }
}
