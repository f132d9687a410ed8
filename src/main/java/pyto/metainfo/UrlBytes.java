package pyto.metainfo;

/**
 * Percent-encoding of raw bytes for tracker URLs (BEP 3). {@link java.net.URLEncoder} works on
 * text and would first turn the bytes into characters; info hashes and peer ids are bytes.
 */
public final class UrlBytes {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlBytes() {
    }

    /** RFC 3986 unreserved characters stay as they are; every other byte becomes %XX. */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** Decodes %XX escapes (and '+' as space) back into bytes; malformed escapes are an error. */
    public static byte[] decode(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated %-escape in " + text);
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad %-escape in " + text);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("non-ASCII character in a URL: " + text);
            }
        }
        return out.toByteArray();
    }
}
