package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pyto.metainfo.FileEntry;
import pyto.metainfo.Metainfo;

class StorageTest {

    @TempDir
    Path dir;

    /** Writes every piece of {@code torrent} in blocks of {@code blockSize}. */
    static void writeAll(Storage storage, TestTorrent torrent, int blockSize) throws IOException {
        for (int p = 0; p < torrent.metainfo.pieceCount(); p++) {
            byte[] piece = torrent.piece(p);
            for (int begin = 0; begin < piece.length; begin += blockSize) {
                storage.writeBlock(p, begin, piece, begin, Math.min(blockSize, piece.length - begin));
            }
        }
    }

    static TestTorrent helloWorld() {
        return TestTorrent.singleFile("greeting.txt", 5).file("greeting.txt", "hello, world").build();
    }

    @Test
    void aSingleFileTorrentIsOneFileNamedAfterTheTorrent() throws IOException {
        TestTorrent t = helloWorld();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            writeAll(storage, t, 2);
            assertThat(storage.location()).isEqualTo(dir.resolve("greeting.txt"));
        }
        assertThat(dir.resolve("greeting.txt")).hasContent("hello, world");
    }

    @Test
    void aMultiFileTorrentLivesInADirectoryNamedAfterIt() throws IOException {
        TestTorrent t = TestTorrent.multiFile("album", 4)
                .file("a.txt", "first").file("sub/deeper/b.txt", "second").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            writeAll(storage, t, 3);
            assertThat(storage.location()).isEqualTo(dir.resolve("album"));
        }
        assertThat(dir.resolve("album/a.txt")).hasContent("first");
        assertThat(dir.resolve("album/sub/deeper/b.txt")).hasContent("second");
    }

    @Test
    void aPieceSpanningThreeFilesIsWrittenToEachAndReadBackWhole() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 8).file("a", "AAA").file("b", "BB").file("c", "CCCCCCC").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            storage.writeBlock(0, 0, t.piece(0), 0, 8);

            assertThat(dir.resolve("t/a")).hasContent("AAA");
            assertThat(dir.resolve("t/b")).hasContent("BB");
            assertThat(dir.resolve("t/c")).hasContent("CCC");
            byte[] back = new byte[10];
            assertThat(storage.readBlock(0, 1, back, 2, 6)).isEqualTo(6);
            assertThat(Arrays.copyOfRange(back, 2, 8)).isEqualTo("AABBCC".getBytes());
        }
    }

    @Test
    void theShortLastPieceIsWrittenAndCheckedToItsEnd() throws IOException {
        TestTorrent t = helloWorld(); // pieces "hello", ", wor", "ld"
        try (Storage storage = new Storage(t.metainfo, dir)) {
            storage.writeBlock(2, 0, "ld".getBytes(), 0, 2);
            assertThat(storage.verifyPiece(2)).isTrue();
            assertThatThrownBy(() -> storage.writeBlock(2, 0, "ld!".getBytes(), 0, 3))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.writeBlock(3, 0, "x".getBytes(), 0, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void padFilesAreNeverWrittenAndReadAsZeros() throws IOException {
        TestTorrent t = TestTorrent.multiFile("padded", 8).file("a", "abc").pad(5).file("b", "12345678").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            byte[] piece0 = t.piece(0);
            Arrays.fill(piece0, 3, 8, (byte) 'X'); // what a careless peer might send for the pad
            storage.writeBlock(0, 0, piece0, 0, 8);
            storage.writeBlock(1, 0, t.piece(1), 0, 8);

            byte[] back = new byte[8];
            Arrays.fill(back, (byte) 'Y');
            storage.readBlock(0, 0, back, 0, 8);
            assertThat(back).isEqualTo(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0});
            assertThat(storage.verifyPiece(0)).isTrue();
            assertThat(storage.verifyPiece(1)).isTrue();
            storage.finish();
        }
        assertThat(dir.resolve("padded/.pad")).doesNotExist();
        try (var listing = Files.list(dir.resolve("padded"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void verifyPieceSeesACorruptByteAndMissingOrShortFiles() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 8).file("a", "0123456789").file("b", "abcdef").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            assertThat(storage.verifyPiece(0)).isFalse(); // nothing on disk: no exception
            writeAll(storage, t, 16);
            assertThat(storage.verifyPiece(0)).isTrue();
            assertThat(storage.verifyPiece(1)).isTrue();

            byte[] bytes = Files.readAllBytes(dir.resolve("t/a"));
            bytes[9] ^= 1; // in piece 1, which also covers b
            Files.write(dir.resolve("t/a"), bytes);
            assertThat(storage.verifyPiece(0)).isTrue();
            assertThat(storage.verifyPiece(1)).isFalse();

            Files.write(dir.resolve("t/b"), "abc".getBytes()); // truncated
            assertThat(storage.verifyPiece(1)).isFalse();
        }
    }

    @Test
    void readingWhatIsNotOnDiskIsAnIOExceptionNamingTheFile() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 4).file("a", "0123").file("b", "4567").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            assertThatThrownBy(() -> storage.readBlock(0, 0, new byte[4], 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(dir.resolve("t/a").toString());
            Files.createDirectories(dir.resolve("t"));
            Files.write(dir.resolve("t/b"), "45".getBytes());
            assertThatThrownBy(() -> storage.readBlock(1, 0, new byte[4], 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("too short").hasMessageContaining(dir.resolve("t/b").toString());
        }
        assertThat(dir.resolve("t/a")).doesNotExist();
    }

    @Test
    void filesAreCreatedOnlyWhenFirstWritten() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 4).file("a", "0123").file("x/b", "4567").file("y/c", "89").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            assertThat(dir).isEmptyDirectory();
            storage.writeBlock(1, 0, t.piece(1), 0, 4);
            assertThat(dir.resolve("t/x/b")).hasContent("4567");
            assertThat(dir.resolve("t/a")).doesNotExist();
            assertThat(dir.resolve("t/y")).doesNotExist();
            storage.flush();
        }
    }

    @Test
    void emptyFilesAreCreatedWhenTheDownloadFinishes() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 4).file("empty-first", "").file("a", "0123")
                .file("dir/empty", "").build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            writeAll(storage, t, 4);
            assertThat(dir.resolve("t/empty-first")).doesNotExist();
            storage.finish();
        }
        assertThat(dir.resolve("t/empty-first")).isEmptyFile();
        assertThat(dir.resolve("t/dir/empty")).isEmptyFile();
        assertThat(dir.resolve("t/a")).hasContent("0123");
    }

    @Test
    void offsetsBeyondFourGibibytesWorkOnASparseFile() throws IOException {
        int pieceLength = 1 << 20;
        int piece = 4500; // starts at 4.39 GiB, 0.39 GiB into the big file
        byte[] data = TestTorrent.randomBytes(pieceLength, 42);
        TestTorrent t = TestTorrent.multiFile("huge", pieceLength)
                .sizedFile("first", 4L << 30).sizedFile("big", 3L << 30).pieceHash(piece, data).build();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            for (int begin = 0; begin < pieceLength; begin += 16384) {
                storage.writeBlock(piece, begin, data, begin, 16384);
            }
            byte[] back = new byte[16384];
            storage.readBlock(piece, pieceLength - 16384, back, 0, 16384);
            assertThat(back).isEqualTo(Arrays.copyOfRange(data, pieceLength - 16384, pieceLength));
            assertThat(storage.verifyPiece(piece)).isTrue();
        }
        assertThat(dir.resolve("huge/first")).doesNotExist();
        assertThat(Files.size(dir.resolve("huge/big"))).isEqualTo((long) (piece + 1) * pieceLength - (4L << 30));
    }

    @Test
    void pathsThatLeaveTheDownloadDirectoryAreRefused() {
        TestTorrent t = TestTorrent.multiFile("t", 4).file("a", "0123").build();
        Metainfo evil = new Metainfo(t.metainfo.name(), 4, t.metainfo.pieces(),
                List.of(new FileEntry(List.of("..", "..", "evil"), 4, 0, false)), true, 4,
                t.metainfo.infoHash(), new byte[0], List.of(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());

        assertThatThrownBy(() -> new Storage(evil, dir.resolve("dl")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("evil").hasMessageContaining("not inside");
    }

    @Test
    void aSymlinkThatLeadsOutsideIsNotFollowed() throws IOException {
        Path downloads = Files.createDirectory(dir.resolve("downloads"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.createDirectory(outside.resolve("sub"));
        Files.writeString(outside.resolve("sub/a"), "mine");
        Files.createSymbolicLink(downloads.resolve("t"), outside);
        TestTorrent t = TestTorrent.multiFile("t", 4).file("sub/a", "0123").file("new/b", "4567").build();

        try (Storage storage = new Storage(t.metainfo, downloads)) {
            assertThatThrownBy(() -> storage.writeBlock(0, 0, t.piece(0), 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(downloads.resolve("t/sub/a").toString())
                    .hasMessageContaining("outside the download directory");
            assertThatThrownBy(() -> storage.writeBlock(1, 0, t.piece(1), 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("outside the download directory");
            assertThatThrownBy(() -> storage.readBlock(0, 0, new byte[4], 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("outside the download directory");
            assertThatThrownBy(() -> storage.verifyPiece(0)).isInstanceOf(UnsafePathException.class);
        }
        assertThat(outside.resolve("sub/a")).hasContent("mine");
        assertThat(outside.resolve("new")).doesNotExist();
    }

    @Test
    void aFileThatIsASymlinkIsNeverWrittenThrough() throws IOException {
        Path outside = Files.writeString(dir.resolve("precious"), "keep");
        Path downloads = Files.createDirectory(dir.resolve("downloads"));
        Files.createSymbolicLink(downloads.resolve("greeting.txt"), outside);

        try (Storage storage = new Storage(helloWorld().metainfo, downloads)) {
            assertThatThrownBy(() -> storage.writeBlock(0, 0, "hello".getBytes(), 0, 5))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("symbolic link");
        }
        assertThat(outside).hasContent("keep");
    }

    @Test
    void aSymlinkThatStaysInsideIsFine() throws IOException {
        Path downloads = Files.createDirectory(dir.resolve("downloads"));
        Path real = Files.createDirectory(downloads.resolve("real"));
        Files.createSymbolicLink(downloads.resolve("t"), real);
        TestTorrent t = TestTorrent.multiFile("t", 4).file("a", "0123").build();

        try (Storage storage = new Storage(t.metainfo, downloads)) {
            storage.writeBlock(0, 0, t.piece(0), 0, 4);
        }
        assertThat(real.resolve("a")).hasContent("0123");
    }

    @Test
    void aBlockedPathIsAnErrorNamingTheFile() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 4).file("sub/a", "0123").build();
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/sub"), "a file where a directory should be");

        try (Storage storage = new Storage(t.metainfo, dir)) {
            assertThatThrownBy(() -> storage.writeBlock(0, 0, t.piece(0), 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("opening for writing " + dir.resolve("t/sub/a"));
        }
    }

    @Test
    void aFullDiskIsAnErrorSayingSoAndNamingTheFile() throws IOException {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC
        assumeTrue(Files.isWritable(full));
        TestTorrent t = TestTorrent.singleFile("full", 4).file("full", "0123").build();

        try (Storage storage = new Storage(t.metainfo, full.getParent())) {
            assertThatThrownBy(() -> storage.writeBlock(0, 0, t.piece(0), 0, 4))
                    .isInstanceOf(IOException.class)
                    .hasMessage("No space left on device writing /dev/full");
        }
    }
}
