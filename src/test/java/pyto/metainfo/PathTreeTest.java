package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathTreeTest {

    @Test
    void acceptsSiblingsAndNamesThatDifferOnlyInCase() {
        PathTree tree = new PathTree();
        assertThatCode(() -> {
            tree.add(List.of("t", "a"), 1);
            tree.add(List.of("t", "A"), 2);
            tree.add(List.of("t", "d", "a"), 3);
            tree.add(List.of("t", "d", "b"), 4);
            tree.add(List.of("t", "ab"), 5);
        }).doesNotThrowAnyException();
    }

    @Test
    void refusesTheSamePathTwice() throws Exception {
        PathTree tree = new PathTree();
        tree.add(List.of("t", "d", "a"), 1);
        assertThatThrownBy(() -> tree.add(List.of("t", "d", "a"), 2))
                .hasMessage("file 2 has the same path as file 1: \"t/d/a\"");
    }

    @Test
    void refusesAFileBelowAFile() throws Exception {
        PathTree tree = new PathTree();
        tree.add(List.of("t", "a"), 1);
        assertThatThrownBy(() -> tree.add(List.of("t", "a", "b", "c"), 2))
                .hasMessageContaining("lies inside file 1 \"t/a\", which is a file, not a directory");
    }

    @Test
    void refusesAFileWhereADirectoryAlreadyIs() throws Exception {
        PathTree tree = new PathTree();
        tree.add(List.of("t", "a", "b"), 1);
        assertThatThrownBy(() -> tree.add(List.of("t", "a"), 2)).hasMessageContaining("is also a directory");
    }

    @Test
    void handlesVeryDeepPathsInLinearTime() {
        List<String> deep = java.util.Collections.nCopies(200_000, "d");
        PathTree tree = new PathTree();
        assertThatCode(() -> tree.add(deep, 1)).doesNotThrowAnyException();
    }
}
