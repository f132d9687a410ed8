package pyto.daemon;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a {@link Json} value as compact JSON text (RFC 8259). Besides the escapes JSON
 * requires, {@code < > &} and U+2028/U+2029 are written as {@code \}{@code u} escapes: a torrent's
 * or a peer's name is text chosen by strangers, and escaped so, no reply can ever be taken for
 * HTML or a script, whatever reads it. Stateless; any thread.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    public static String write(Json value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    public static byte[] utf8(Json value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Json value, StringBuilder out) {
        switch (value) {
            case Json.Obj o -> {
                out.append('{');
                Iterator<Map.Entry<String, Json>> members = o.members().entrySet().iterator();
                while (members.hasNext()) {
                    Map.Entry<String, Json> m = members.next();
                    string(m.getKey(), out);
                    out.append(':');
                    write(m.getValue(), out);
                    if (members.hasNext()) {
                        out.append(',');
                    }
                }
                out.append('}');
            }
            case Json.Arr a -> {
                out.append('[');
                for (int i = 0; i < a.items().size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(a.items().get(i), out);
                }
                out.append(']');
            }
            case Json.Str s -> string(s.value(), out);
            case Json.Num n -> out.append(n.value().toPlainString()); // the reader bounds the digits
            case Json.Bool b -> out.append(b.value());
            case Json.Null n -> out.append("null");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
