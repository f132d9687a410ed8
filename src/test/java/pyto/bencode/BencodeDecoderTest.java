package pyto.bencode;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeDecoderTest {

    private static BValue decode(String text) throws BencodeException {
        return BencodeDecoder.decode(text.getBytes(US_ASCII));
    }

    @Test
    void decodesEachKind() throws Exception {
        assertThat(decode("i42e")).isEqualTo(new BInteger(42));
        assertThat(decode("i-42e")).isEqualTo(new BInteger(-42));
        assertThat(decode("i0e")).isEqualTo(new BInteger(0));
        assertThat(decode("4:spam")).isEqualTo(BString.of("spam"));
        assertThat(decode("0:")).isEqualTo(BString.of(""));
        assertThat(decode("l4:spami42ee")).isEqualTo(BList.of(BString.of("spam"), new BInteger(42)));
        assertThat(decode("d3:cow3:moo4:spam4:eggse"))
                .isEqualTo(BDict.builder().put("cow", "moo").put("spam", "eggs").build());
    }

    @Test
    void integersBeyondFourGigabytes() throws Exception {
        assertThat(decode("i243524141195e")).isEqualTo(new BInteger(243_524_141_195L));
        assertThat(decode("i9223372036854775807e")).isEqualTo(new BInteger(Long.MAX_VALUE));
    }

    @Test
    void byteStringsStayBytes() throws Exception {
        byte[] input = {'3', ':', (byte) 0xff, 0, (byte) 0x80};
        BString s = (BString) BencodeDecoder.decode(input);
        assertThat(s.bytes()).containsExactly(0xff, 0, 0x80);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "i-0e        | negative zero              | 0",
        "i03e        | leading zero               | 0",
        "ie          | without digits             | 0",
        "i12         | end of input               | 3",
        "i1x2e       | unexpected 'x'             | 2",
        "i99999999999999999999e | too large       | 0",
        "-3:abc      | unexpected '-'             | 0",
        "03:abc      | leading zero               | 0",
        "5:abc       | runs past the end          | 0",
        "l4:spam     | end of input               | 7",
        "d3:cowe     | unexpected 'e' where a value | 6",
        "d3:cow3:moo | end of input               | 11",
        "di1e3:mooe  | key must be a byte string  | 1",
        "d1:a1:b1:a1:ce | duplicate dictionary key | 7",
        "i1ei2e      | trailing bytes             | 3",
        "x           | unexpected 'x'             | 0",
    })
    void refusesWhatTheSpecRefuses(String input, String problem, int offset) {
        assertThatThrownBy(() -> decode(input))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(offset));
    }

    @Test
    void emptyInputIsRefused() {
        assertThatThrownBy(() -> BencodeDecoder.decode(new byte[0]))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("end of input");
    }

    @Test
    void hugeLengthIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> decode("9999999999:x"))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("runs past the end");
    }

    @Test
    void deepNestingIsRefusedQuicklyWithoutStackOverflow() {
        byte[] deep = "l".repeat(100_000).getBytes(US_ASCII);
        long start = System.nanoTime();
        assertThatThrownBy(() -> BencodeDecoder.decode(deep))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("nesting deeper than 512");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws Exception {
        int depth = BencodeDecoder.MAX_DEPTH;
        BValue v = decode("l".repeat(depth) + "e".repeat(depth));
        assertThat(v).isInstanceOf(BList.class);
    }

    @Test
    void dictionaryKeepsRawOrderAndRawBytes() throws Exception {
        // keys out of order inside "info": re-encoding would sort them and change the hash
        String info = "d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces0:e";
        String unsortedInfo = "d4:name1:x6:lengthi5e12:piece lengthi16384e6:pieces0:e";
        BDict torrent = BencodeDecoder.decodeDict(("d4:info" + unsortedInfo + "e").getBytes(US_ASCII));
        BDict infoDict = torrent.dict("info").orElseThrow();

        assertThat(infoDict.entries().keySet()).extracting(BString::text)
                .containsExactly("name", "length", "piece length", "pieces");
        assertThat(torrent.rawBytes("info").orElseThrow()).isEqualTo(unsortedInfo.getBytes(US_ASCII));
        assertThat(infoDict.encode()).isEqualTo(info.getBytes(US_ASCII));
        assertThat(sha1(torrent.rawBytes("info").orElseThrow())).isNotEqualTo(sha1(infoDict.encode()));
    }

    @Test
    void accessorsReturnEmptyForMissingOrWrongKind() throws Exception {
        BDict d = BencodeDecoder.decodeDict("d1:ai1e1:b1:xe".getBytes(US_ASCII));
        assertThat(d.integer("a")).contains(1L);
        assertThat(d.string("a")).isEmpty();
        assertThat(d.string("b").map(BString::text)).contains("x");
        assertThat(d.list("c")).isEmpty();
    }

    @Test
    void roundTripsCanonicalInput() throws Exception {
        String canonical = "d4:listl1:a1:bi-7ee3:numi12345678901e3:str0:e";
        assertThat(decode(canonical).encode()).isEqualTo(canonical.getBytes(US_ASCII));
        assertThat(BencodeDecoder.decode(BList.of(new BInteger(1), BString.of("ü")).encode()))
                .isEqualTo(new BList(List.of(new BInteger(1), BString.of("ü"))));
    }

    @Test
    void decodePrefixReadsOneValueAndSaysWhereItEnded() throws Exception {
        // a ut_metadata data message (BEP 9): a dictionary, then raw bytes that are not bencoding
        byte[] input = "xxd8:msg_typei1e5:piecei0eeRAW:)".getBytes(US_ASCII);
        BencodeDecoder.Prefix prefix = BencodeDecoder.decodePrefix(input, 2);

        assertThat(prefix.value()).isEqualTo(BDict.builder().put("msg_type", 1).put("piece", 0).build());
        assertThat(prefix.end()).isEqualTo(input.length - "RAW:)".length());
        assertThat(BencodeDecoder.decodePrefix("i7e".getBytes(US_ASCII), 0))
                .isEqualTo(new BencodeDecoder.Prefix(new BInteger(7), 3));
    }

    @Test
    void decodePrefixIsAsStrictAsDecodeAndCountsOffsetsFromTheStartOfTheInput() {
        assertThatThrownBy(() -> BencodeDecoder.decodePrefix("ab i03e".getBytes(US_ASCII), 3))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining("leading zero")
                .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(3));
        assertThatThrownBy(() -> BencodeDecoder.decodePrefix("d1:a".getBytes(US_ASCII), 0))
                .isInstanceOf(BencodeException.class).hasMessageContaining("end of input");
        assertThatThrownBy(() -> BencodeDecoder.decodePrefix("i1e".getBytes(US_ASCII), 3))
                .isInstanceOf(BencodeException.class).hasMessageContaining("end of input at byte 3");
        assertThatThrownBy(() -> BencodeDecoder.decodePrefix("i1e".getBytes(US_ASCII), 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static byte[] sha1(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(data);
    }
}
