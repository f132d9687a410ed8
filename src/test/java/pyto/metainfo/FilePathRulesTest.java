package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FilePathRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a.txt", "foobar ", " lead", "...", "..a", ".hidden", "été-文件.txt", "C:colon", "a b"})
    void allowsOrdinaryNames(String component) {
        assertThat(FilePathRules.problem(component)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''             | empty path component",
        "..             | climb out",
        ".              | \".\" path component",
        "/etc           | absolute path",
        "\\             | absolute path",
        "a/b            | separator inside",
        "a\\..\\b       | separator inside",
        "a\u0000b       | NUL"})
    void refusesNamesThatCouldLeaveTheDownloadDirectory(String component, String problem) {
        assertThat(FilePathRules.problem(component)).hasValueSatisfying(p -> assertThat(p).contains(problem));
    }

    @Test
    void quotesWithControlCharactersEscapedAndLongNamesCut() {
        assertThat(FilePathRules.quote("a\tb\"c")).isEqualTo("\"a\\u0009b\\\"c\"");
        assertThat(FilePathRules.quote("x".repeat(200))).hasSize(80 + 5).endsWith("...\"");
        assertThat(FilePathRules.quote(List.of("top", "dir", "f"))).isEqualTo("\"top/dir/f\"");
    }
}
