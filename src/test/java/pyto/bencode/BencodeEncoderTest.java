package pyto.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeEncoderTest {

    private static String encode(BValue v) {
        return new String(v.encode(), US_ASCII);
    }

    @Test
    void encodesEachKind() {
        assertThat(encode(new BInteger(-3))).isEqualTo("i-3e");
        assertThat(encode(BString.of("spam"))).isEqualTo("4:spam");
        assertThat(encode(BList.of(BString.of("a"), new BInteger(1)))).isEqualTo("l1:ai1ee");
    }

    @Test
    void sortsKeysAsUnsignedBytes() {
        Map<BString, BValue> entries = new LinkedHashMap<>();
        entries.put(new BString(new byte[] {(byte) 0xc3}), new BInteger(3)); // sorts after ASCII
        entries.put(BString.of("b"), new BInteger(2));
        entries.put(BString.of("a"), new BInteger(1));
        byte[] encoded = new BDict(entries).encode();
        assertThat(encoded).isEqualTo(new byte[] {
            'd', '1', ':', 'a', 'i', '1', 'e', '1', ':', 'b', 'i', '2', 'e', '1', ':', (byte) 0xc3, 'i', '3', 'e', 'e'});
    }

    @Test
    void builtDictionaryGivesItsEncodingAsRawBytes() {
        BDict d = BDict.builder().put("x", BDict.builder().put("z", 1).put("y", 2).build()).build();
        assertThat(new String(d.rawBytes("x").orElseThrow(), US_ASCII)).isEqualTo("d1:yi2e1:zi1ee");
    }
}
