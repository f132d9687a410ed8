package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceFilesTest {

    @Test
    void ordersByComponentsAsUtf8BytesNotByJoinedStrings() {
        List<List<String>> paths = new ArrayList<>(List.of(
                List.of("b"), List.of("a.txt"), List.of("a", "b"), List.of("été"), List.of("Z"), List.of("a", "a", "z")));

        paths.sort(SourceFiles.BY_COMPONENTS);

        // joined, "a.txt" would sort before "a/b" ('.' < '/'); by components the directory "a" comes first,
        // and "été" (0xc3 ...) after every ASCII name
        assertThat(paths).containsExactly(
                List.of("Z"), List.of("a", "a", "z"), List.of("a", "b"), List.of("a.txt"), List.of("b"), List.of("été"));
    }
}
