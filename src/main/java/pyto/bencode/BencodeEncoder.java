package pyto.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes values as canonical bencoding (BEP 3): dictionary keys sorted as raw byte strings,
 * integers in plain decimal. Used for tracker replies, torrents we create and DHT messages.
 */
public final class BencodeEncoder {

    private BencodeEncoder() {
    }

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(BValue value, ByteArrayOutputStream out) {
        switch (value) {
            case BInteger(long n) -> ascii(out, "i" + n + "e");
            case BString s -> {
                ascii(out, s.length() + ":");
                out.writeBytes(s.bytes());
            }
            case BList(List<BValue> values) -> {
                out.write('l');
                values.forEach(v -> write(v, out));
                out.write('e');
            }
            case BDict dict -> {
                out.write('d');
                List<Map.Entry<BString, BValue>> sorted = new ArrayList<>(dict.entries().entrySet());
                sorted.sort(Map.Entry.comparingByKey());
                for (Map.Entry<BString, BValue> e : sorted) {
                    write(e.getKey(), out);
                    write(e.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
