package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsWhatTransmissionRemoteSends() throws Exception {
        Json v = JsonReader.read("{\"arguments\":{\"fields\":[\"id\",\"name\"],\"ids\":1},\"method\":\"torrent-get\",\"tag\":4}");

        Json.Obj o = (Json.Obj) v;
        assertThat(o.get("method")).contains(Json.of("torrent-get"));
        assertThat(o.get("tag")).contains(new Json.Num(new BigDecimal("4")));
        Json.Obj args = (Json.Obj) o.get("arguments").orElseThrow();
        assertThat(args.get("fields")).contains(new Json.Arr(List.of(Json.of("id"), Json.of("name"))));
    }

    @Test
    void readsEveryKindAndEscape() throws Exception {
        Json v = JsonReader.read(" [ true , false , null , -0.5e2 , 0 , \"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\" , {} , [] ] ");

        assertThat(v).isEqualTo(new Json.Arr(List.of(Json.of(true), Json.of(false), Json.NULL,
                new Json.Num(new BigDecimal("-0.5e2")), Json.of(0), Json.of("a\"\\/\b\f\n\r\té\ud83d\ude00"),
                Json.object().build(), new Json.Arr(List.of()))));
    }

    @Test
    void writesCompactTextThatReadsBackTheSame() throws Exception {
        Json v = Json.object().put("id", 7).put("ratio", 2.5).put("name", "a \"b\"\n")
                .put("ok", true).put("list", Json.array(List.of(Json.of(1), Json.NULL))).build();

        String text = JsonWriter.write(v);

        assertThat(text).isEqualTo("{\"id\":7,\"ratio\":2.5,\"name\":\"a \\\"b\\\"\\n\",\"ok\":true,\"list\":[1,null]}");
        assertThat(JsonReader.read(text)).isEqualTo(v);
    }

    @Test
    void htmlInANameComesOutAsEscapedText() throws Exception {
        String name = "<script>alert('x')</script> & \u2028";
        String text = JsonWriter.write(Json.object().put("name", name).build());

        assertThat(text).doesNotContain("<", ">", "&").contains("\\u003cscript\\u003e");
        assertThat(((Json.Obj) JsonReader.read(text)).get("name")).contains(Json.of(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'a'", "01", "1.", ".5", "-", "1e", "+1",
        "NaN", "Infinity", "tru", "nul", "[1 2]", "{\"a\":1}x", "\"a", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
        "\"tab\there\"", "\"\\ud800\"", "\"\\udc00x\"", "{\"a\":1,\"a\":2}", "1e999999999",
        "123456789012345678901234567890123456789012345678901234567890123456789", "\"\\u０１２３\""})
    void refusesWhatIsNotStrictJson(String text) {
        assertThatThrownBy(() -> JsonReader.read(text)).isInstanceOf(JsonException.class)
                .hasMessageStartingWith("bad JSON at character");
    }

    @Test
    void refusesDeepNestingAndBadUtf8() throws Exception {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonReader.read(deep)).hasMessageContaining("nested");
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.read(ok.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Json.Arr.class);
        assertThatThrownBy(() -> JsonReader.read(new byte[] {'"', (byte) 0xc3, '"'})).hasMessage("not UTF-8 text");
        assertThatThrownBy(() -> Json.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
