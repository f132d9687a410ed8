package pyto.metainfo;

/**
 * Base32 of RFC 4648 (alphabet {@code A-Z2-7}), without padding: the 32-character form of an
 * info hash that old magnet links carry (BEP 9 asks clients to accept it beside hex).
 * Upper and lower case are both read; {@link #encode} writes upper case. Runs on the caller's thread.
 */
final class Base32 {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {
    }

    /**
     * Decodes {@code text}; every character must be in the alphabet, and the bits left over
     * at the end (fewer than 8) must be zero, so that each byte string has exactly one text.
     *
     * @throws IllegalArgumentException naming the first character that is not base32
     */
    static byte[] decode(String text) {
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Only ASCII: toUpperCase would turn a Turkish dotless i into an I.
            int value = c < 0x80 ? ALPHABET.indexOf(Character.toUpperCase(c)) : -1;
            if (value < 0) {
                throw new IllegalArgumentException("'" + c + "' at position " + (i + 1) + " is not a base32 character (A-Z, 2-7)");
            }
            buffer = buffer << 5 | value;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        if (buffer != 0) {
            throw new IllegalArgumentException("its last character leaves non-zero bits over");
        }
        return out;
    }

    /** Upper-case base32 without padding. */
    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(ALPHABET.charAt(buffer >> bits & 31));
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt(buffer << (5 - bits) & 31));
        }
        return out.toString();
    }
}
