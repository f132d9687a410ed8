package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.SourceFiles.SourceFile;

class ContentReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsAcrossFileBoundariesAndSkipsEmptyFiles() throws Exception {
        List<SourceFile> files = List.of(file("a", "abc"), file("b", ""), file("c", "defgh"));

        assertThat(read(files, 2, 5)).isEqualTo("cdefg");
        assertThat(read(files, 3, 5)).isEqualTo("defgh");
        assertThat(read(files, 0, 8)).isEqualTo("abcdefgh");
    }

    @Test
    void refusesToReadPastTheEndOrBeyondAShrunkenFile() throws Exception {
        List<SourceFile> files = List.of(file("a", "abc"));
        assertThatThrownBy(() -> read(files, 1, 3)).hasMessageContaining("past the end");

        Path shrunk = Files.writeString(dir.resolve("shrunk"), "xy");
        List<SourceFile> claimsMore = List.of(new SourceFile(shrunk, List.of("shrunk"), 5));
        assertThatThrownBy(() -> read(claimsMore, 0, 5)).hasMessageContaining("shorter than the 5 bytes");
    }

    @Test
    void aHashingFailureReachesTheCaller() throws Exception {
        Path shrunk = Files.writeString(dir.resolve("shrunk"), "x".repeat(40_000));
        List<SourceFile> claimsMore = List.of(new SourceFile(shrunk, List.of("shrunk"), 100_000));
        assertThatThrownBy(() -> PieceHasher.hash(claimsMore, 100_000, 16384, ProgressListener.NONE))
                .hasMessageContaining("shorter than the 100000 bytes");
        assertThat(pyto.concurrent.Scope.liveThreads()).isZero();
    }

    private SourceFile file(String name, String content) throws Exception {
        Path path = Files.writeString(dir.resolve(name), content);
        return new SourceFile(path, List.of(name), content.length());
    }

    private static String read(List<SourceFile> files, long start, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (ContentReader reader = new ContentReader(files, start)) {
            reader.readFully(buffer);
        }
        return new String(buffer.array(), StandardCharsets.US_ASCII);
    }
}
