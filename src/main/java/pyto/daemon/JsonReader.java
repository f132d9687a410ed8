package pyto.daemon;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259): UTF-8 only (malformed bytes are an error, not a U+FFFD),
 * exactly one value with nothing after it but white space, no name twice in an object, no
 * lone surrogate, no control character unescaped. Bounded: objects and arrays nest
 * {@value #MAX_DEPTH} deep at most (a deeper request would otherwise cost a stack overflow),
 * and a number is {@value #MAX_NUMBER_CHARS} characters at most, so that {@code 1e999999999}
 * never becomes a billion digits. The caller bounds the input's length.
 *
 * <p>A recursive-descent parser over the decoded text; one instance per value, on the
 * caller's thread.
 */
public final class JsonReader {

    static final int MAX_DEPTH = 64;
    static final int MAX_NUMBER_CHARS = 64;

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The one value {@code utf8} holds. */
    public static Json read(byte[] utf8) throws JsonException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("not UTF-8 text");
        }
        return read(text);
    }

    /** The one value {@code text} holds. */
    public static Json read(String text) throws JsonException {
        JsonReader reader = new JsonReader(text);
        reader.skipSpace();
        Json value = reader.value(0);
        reader.skipSpace();
        if (reader.at < text.length()) {
            throw reader.error("unexpected text after the value");
        }
        return value;
    }

    private Json value(int depth) throws JsonException {
        if (at >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new Json.Str(string());
            case 't' -> literal("true", Json.of(true));
            case 'f' -> literal("false", Json.of(false));
            case 'n' -> literal("null", Json.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character " + printable(c));
            }
        };
    }

    private Json.Obj object(int depth) throws JsonException {
        checkDepth(depth);
        at++; // {
        Map<String, Json> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return new Json.Obj(members);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a member name (a string) is missing");
            }
            int nameAt = at;
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            Json value = value(depth);
            if (members.putIfAbsent(name, value) != null) {
                at = nameAt;
                throw error("the name \"" + name + "\" appears twice");
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                return new Json.Obj(members);
            }
            if (c != ',') {
                at--;
                throw error("',' or '}' expected");
            }
        }
    }

    private Json.Arr array(int depth) throws JsonException {
        checkDepth(depth);
        at++; // [
        List<Json> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return new Json.Arr(items);
        }
        while (true) {
            skipSpace();
            items.add(value(depth));
            skipSpace();
            char c = next();
            if (c == ']') {
                return new Json.Arr(items);
            }
            if (c != ',') {
                at--;
                throw error("',' or ']' expected");
            }
        }
    }

    private String string() throws JsonException {
        int start = at;
        at++; // "
        StringBuilder s = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                at--;
                throw error("a control character must be escaped in a string");
            }
            s.append(c == '\\' ? escape() : c);
        }
        // Escapes can spell half a surrogate pair; valid UTF-8 never does.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                at = start;
                throw error("a lone surrogate in a string");
            }
        }
        return s.toString();
    }

    /** After a backslash: the character it stands for. */
    private char escape() throws JsonException {
        char e = next();
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4();
            default -> {
                at--;
                throw error("unknown escape \\" + printable(e));
            }
        };
    }

    private char hex4() throws JsonException {
        if (at + 4 > text.length()) {
            throw error("a \\u escape needs four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(at + i);
            int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (d < 0) {
                throw error("a \\u escape needs four hex digits");
            }
            v = v * 16 + d;
        }
        at += 4;
        return (char) v;
    }

    // number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT )
    private Json.Num number() throws JsonException {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("a digit is missing");
        }
        if (peek() == '.') {
            at++;
            if (!isDigit(peek())) {
                throw error("a digit is missing after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!isDigit(peek())) {
                throw error("a digit is missing in the exponent");
            }
            digits();
        }
        if (at - start > MAX_NUMBER_CHARS) {
            at = start;
            throw error("a number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        BigDecimal n = new BigDecimal(text.substring(start, at));
        if (Math.abs((long) n.scale()) > 400 || n.precision() - (long) n.scale() > 400) {
            at = start;
            throw error("a number too large or too small");
        }
        return new Json.Num(n);
    }

    private void digits() {
        while (isDigit(peek())) {
            at++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Json literal(String word, Json value) throws JsonException {
        if (!text.startsWith(word, at)) {
            throw error("unexpected character " + printable(text.charAt(at)));
        }
        at += word.length();
        return value;
    }

    private void checkDepth(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("objects and arrays nested more than " + MAX_DEPTH + " deep");
        }
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    /** The character at {@code at}, or 0 at the end. */
    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private char next() throws JsonException {
        if (at >= text.length()) {
            throw error("the text ends too early");
        }
        return text.charAt(at++);
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        at++;
    }

    private JsonException error(String what) {
        return new JsonException("bad JSON at character " + at + ": " + what);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
