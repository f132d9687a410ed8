package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BValue;

class HybridFileTreeTest {

    @Test
    void acceptsNestedDirectoriesAndEmptyFiles() {
        BDict tree = dir("a.txt", file(11000), "sub", dir("b.bin", file(300001), "empty", file(0)));
        assertThatCode(() -> HybridFileTree.check(tree)).doesNotThrowAnyException();
    }

    @Test
    void refusesAFileWithoutItsEmptyStringKey() {
        // libtorrent's v2_invalid_file: the file's length sits where its "" entry should be
        BDict tree = dir("test64K", BDict.builder().put("length", 65536L).put("pieces root", new byte[32]).build());
        assertThatThrownBy(() -> HybridFileTree.check(tree)).hasMessageContaining("malformed v2 'file tree'");
    }

    @Test
    void refusesOtherShapes() {
        assertThatThrownBy(() -> HybridFileTree.check(BList.of())).hasMessageContaining("not a dictionary");
        assertThatThrownBy(() -> HybridFileTree.check(dir())).hasMessageContaining("not a dictionary");
        assertThatThrownBy(() -> HybridFileTree.check(dir("a", BDict.builder().put("", file(1).get("").orElseThrow())
                .put("b", file(1)).build()))).hasMessageContaining("shares its dictionary");
        assertThatThrownBy(() -> HybridFileTree.check(dir("a", dir("", BDict.builder().put("length", -1L).build()))))
                .hasMessageContaining("no valid length");
        assertThatThrownBy(() -> HybridFileTree.check(dir("a", dir()))).hasMessageContaining("neither a file nor");
    }

    private static BDict file(long length) {
        return BDict.builder().put("", BDict.builder().put("length", length).build()).build();
    }

    private static BDict dir(Object... namesAndValues) {
        BDict.Builder b = BDict.builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.put((String) namesAndValues[i], (BValue) namesAndValues[i + 1]);
        }
        return b.build();
    }
}
