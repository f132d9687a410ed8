package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void valuesAreRawBytes() {
        QueryString q = QueryString.parse("info_hash=%00%FFa%7e&port=6881&flag&x=");
        assertThat(q.bytes("info_hash")).hasValueSatisfying(b -> assertThat(b).containsExactly(0, 0xff, 'a', '~'));
        assertThat(q.text("port")).contains("6881");
        assertThat(q.text("flag")).contains("");
        assertThat(q.text("x")).contains("");
        assertThat(q.bytes("missing")).isEmpty();
    }

    @Test
    void repeatedKeysKeepEveryValueInOrder() {
        QueryString q = QueryString.parse("info_hash=a&info_hash=b&&info_hash=c");
        assertThat(q.all("info_hash")).extracting(String::new).containsExactly("a", "b", "c");
        assertThat(q.text("info_hash")).contains("a");
    }

    @Test
    void malformedEscapesAreRefused() {
        assertThatThrownBy(() -> QueryString.parse("info_hash=%zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryString.parse("info_hash=%4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryString.parse("peer_id=\u00e9")).isInstanceOf(IllegalArgumentException.class);
    }
}
