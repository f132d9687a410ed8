package pyto.bencode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes bencoding (BEP 3) strictly: one value that fills the whole input (or, with
 * {@link #decodePrefix}, one value at the front of it), integers without leading zeros or
 * {@code -0}, string lengths that fit in what is left of the input, keys that are byte
 * strings and appear once. Any departure is a {@link BencodeException} naming the byte
 * where it was found.
 *
 * <p>Nesting is limited to {@value #MAX_DEPTH} levels, so hostile input of a hundred thousand
 * {@code l}s is refused at once instead of overflowing the stack.
 *
 * <pre>{@code
 * BDict torrent = (BDict) BencodeDecoder.decode(Files.readAllBytes(path));
 * }</pre>
 */
public final class BencodeDecoder {

    public static final int MAX_DEPTH = 512;

    private final byte[] in;
    private int pos;
    private int depth;

    /**
     * One value decoded from the front of some input, and where it ended.
     *
     * @param end the offset just after the value: where whatever follows it starts
     */
    public record Prefix(BValue value, int end) {
    }

    private BencodeDecoder(byte[] in, int from) {
        this.in = in;
        this.pos = from;
    }

    /** Decodes {@code input}, which must hold exactly one value and nothing after it. */
    public static BValue decode(byte[] input) throws BencodeException {
        BencodeDecoder decoder = new BencodeDecoder(input, 0);
        BValue value = decoder.value();
        if (decoder.pos != input.length) {
            throw new BencodeException(
                    (input.length - decoder.pos) + " trailing bytes after the value", decoder.pos);
        }
        return value;
    }

    /**
     * Decodes exactly one value starting at {@code input[from]} and says where it ended; the
     * bytes after it are not looked at. For messages that are a bencoded value followed by raw
     * bytes, as a ut_metadata data message (BEP 9) is. Offsets in exceptions count from the
     * start of {@code input}, not from {@code from}.
     *
     * @throws IndexOutOfBoundsException if {@code from} is outside {@code [0, input.length]}
     */
    public static Prefix decodePrefix(byte[] input, int from) throws BencodeException {
        if (from < 0 || from > input.length) {
            throw new IndexOutOfBoundsException("offset " + from + " outside an input of " + input.length + " bytes");
        }
        BencodeDecoder decoder = new BencodeDecoder(input, from);
        BValue value = decoder.value();
        return new Prefix(value, decoder.pos);
    }

    /** Decodes {@code input}, which must be a dictionary (a torrent file, a tracker reply). */
    public static BDict decodeDict(byte[] input) throws BencodeException {
        if (decode(input) instanceof BDict dict) {
            return dict;
        }
        throw new BencodeException("expected a dictionary", 0);
    }

    private BValue value() throws BencodeException {
        int c = peek();
        return switch (c) {
            case 'i' -> integer();
            case 'l' -> list();
            case 'd' -> dict();
            default -> {
                if (c >= '0' && c <= '9') {
                    yield string();
                }
                throw new BencodeException("unexpected " + describe(c) + " where a value should start", pos);
            }
        };
    }

    // integer: i<decimal>e, e.g. i-42e; "i-0e", "i03e" and "ie" are invalid
    private BInteger integer() throws BencodeException {
        int start = pos;
        pos++; // 'i'
        long value = decimal('e', true, start);
        pos++; // 'e'
        return new BInteger(value);
    }

    // string: <length>:<bytes>, e.g. 4:spam
    private BString string() throws BencodeException {
        int start = pos;
        long length = decimal(':', false, start);
        pos++; // ':'
        if (length > in.length - pos) {
            throw new BencodeException(
                    "string length " + length + " runs past the end of the input (" + (in.length - pos) + " bytes left)",
                    start);
        }
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
        pos += (int) length;
        return new BString(bytes);
    }

    // list: l<values>e
    private BList list() throws BencodeException {
        enter();
        pos++; // 'l'
        List<BValue> values = new ArrayList<>();
        while (peek() != 'e') {
            values.add(value());
        }
        pos++; // 'e'
        depth--;
        return new BList(values);
    }

    // dictionary: d<key><value>...e, keys are byte strings
    private BDict dict() throws BencodeException {
        enter();
        pos++; // 'd'
        LinkedHashMap<BString, BValue> entries = new LinkedHashMap<>();
        Map<BString, BDict.Span> spans = new HashMap<>();
        while (peek() != 'e') {
            int keyAt = pos;
            int c = peek();
            if (c < '0' || c > '9') {
                throw new BencodeException("dictionary key must be a byte string, found " + describe(c), pos);
            }
            BString key = string();
            int valueAt = pos;
            BValue value = value();
            if (entries.putIfAbsent(key, value) != null) {
                throw new BencodeException("duplicate dictionary key " + key, keyAt);
            }
            spans.put(key, new BDict.Span(in, valueAt, pos));
        }
        pos++; // 'e'
        depth--;
        return new BDict(entries, spans);
    }

    private void enter() throws BencodeException {
        if (++depth > MAX_DEPTH) {
            throw new BencodeException("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
    }

    /**
     * Reads a decimal number up to {@code terminator} (left unread). Lengths may not be
     * negative; neither may have leading zeros, nor be "-0", nor overflow a long.
     */
    private long decimal(char terminator, boolean signed, int start) throws BencodeException {
        boolean negative = false;
        if (signed && peek() == '-') {
            negative = true;
            pos++;
        }
        int digitsAt = pos;
        long value = 0;
        while (peek() != terminator) {
            int c = in[pos];
            if (c < '0' || c > '9') {
                throw new BencodeException("unexpected " + describe(c) + " in a number", pos);
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                throw new BencodeException("number too large", start);
            }
            value = value * 10 + digit;
            pos++;
        }
        int digits = pos - digitsAt;
        if (digits == 0) {
            throw new BencodeException("number without digits", start);
        }
        if (digits > 1 && in[digitsAt] == '0') {
            throw new BencodeException("number with a leading zero", start);
        }
        if (negative && value == 0) {
            throw new BencodeException("negative zero", start);
        }
        return negative ? -value : value;
    }

    /** The byte at the current position; running out of input is always an error here. */
    private int peek() throws BencodeException {
        if (pos >= in.length) {
            throw new BencodeException("unexpected end of input", pos);
        }
        return in[pos] & 0xff;
    }

    private static String describe(int c) {
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }
}
