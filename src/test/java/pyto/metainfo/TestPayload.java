package pyto.metainfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import pyto.TestFiles;

/**
 * The payload the real tools made testdata/good's "multi" torrents from: nested folders, an
 * empty file and a file with a non-ASCII name. Git holds all of it but that last file, which
 * {@link #copyMulti} writes: git lists such a path quoted ({@code "testdata/...\303\251t..."}),
 * and the project's layout check reads the quoted name as a stray top-level entry.
 */
public final class TestPayload {

    /** The file's place in the payload and its bytes, exactly as the torrents in testdata/good hash them. */
    public static final String NON_ASCII_FILE = "sub dir/deeper/été-文件.txt";
    private static final byte[] NON_ASCII_CONTENT = "unicode name\n".repeat(50).getBytes(StandardCharsets.US_ASCII);

    private TestPayload() {
    }

    /** Copies testdata/payload/multi to {@code target} (made if missing), the non-ASCII file included. */
    public static Path copyMulti(Path target) throws IOException {
        TestFiles.copyTree(TestData.dir("payload").resolve("multi"), target);
        Files.write(target.resolve(NON_ASCII_FILE), NON_ASCII_CONTENT);
        return target;
    }
}
