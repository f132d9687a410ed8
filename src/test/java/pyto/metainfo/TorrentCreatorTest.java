package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.bencode.BDict;
import pyto.bencode.BencodeDecoder;

class TorrentCreatorTest {

    private static final Path PAYLOAD = TestData.dir("payload");
    private static final String ANNOUNCE = "http://127.0.0.1:6969/announce";

    @TempDir
    Path dir;

    @Test
    void makesATorrentOfADirectoryInComponentOrderWithEmptyAndNonAsciiFiles() throws Exception {
        Path content = Files.createDirectory(dir.resolve("content"));
        Files.createDirectories(content.resolve("a dir/deeper"));
        byte[] b = write(content.resolve("b.txt"), 50_000, 1);
        byte[] x = write(content.resolve("a dir/x.bin"), 20_000, 2);
        byte[] empty = write(content.resolve("a dir/empty"), 0, 3);
        byte[] nonAscii = write(content.resolve("a dir/deeper/été-文件.txt"), 1_234, 4);
        byte[] z = write(content.resolve("Z"), 7, 5);
        byte[] aDotTxt = write(content.resolve("a.txt"), 3, 6);

        Metainfo m = MetainfoParser.parse(TorrentCreator.create(content,
                TorrentCreator.Options.defaults().withPieceLength(16384), ProgressListener.NONE));

        assertThat(m.name()).isEqualTo("content");
        assertThat(m.multiFile()).isTrue();
        // "Z" < "a dir" < "a.txt" < "b.txt" as bytes; a directory's files come where its name sorts
        assertThat(m.files()).extracting(FileEntry::displayPath).containsExactly(
                "content/Z", "content/a dir/deeper/été-文件.txt", "content/a dir/empty", "content/a dir/x.bin",
                "content/a.txt", "content/b.txt");
        assertThat(m.files()).noneMatch(FileEntry::padding);
        assertPiecesAreHashesOf(m, concat(z, nonAscii, empty, x, aDotTxt, b));
    }

    @Test
    void makesATorrentOfOneFileWhoseLastPieceIsShort() throws Exception {
        byte[] data = write(dir.resolve("data.bin"), 100_001, 7);

        Metainfo m = MetainfoParser.parse(TorrentCreator.create(dir.resolve("data.bin"),
                TorrentCreator.Options.defaults(), ProgressListener.NONE));

        assertThat(m.name()).isEqualTo("data.bin");
        assertThat(m.multiFile()).isFalse();
        assertThat(m.files()).singleElement().extracting(FileEntry::path).isEqualTo(List.of("data.bin"));
        assertThat(m.pieceLength()).isEqualTo(16384);
        assertThat(m.pieceCount()).isEqualTo(7);
        assertThat(m.pieceSize(6)).isEqualTo(100_001 - 6 * 16384);
        assertPiecesAreHashesOf(m, data);
    }

    @Test
    void givesTheSameInfoHashAsMktorrentForTheSameContent() throws Exception {
        // mktorrent's info dictionaries hold only the standard keys, so the hashes must agree
        TorrentCreator.Options options = TorrentCreator.Options.defaults()
                .withTrackerTiers(List.of(List.of(ANNOUNCE)));
        for (var c : List.of(new Object[] {"single.bin", 65536, "single-mktorrent.torrent"},
                new Object[] {"multi", 32768, "multi-mktorrent.torrent"})) {
            Metainfo mktorrent = MetainfoParser.read(TestData.dir("good").resolve((String) c[2]));
            assertThat(BencodeDecoder.decodeDict(mktorrent.infoBytes()).entries().keySet())
                    .extracting(k -> k.text()).containsExactlyInAnyOrder("name", "piece length", "pieces",
                            c[0].equals("multi") ? "files" : "length");

            Path content = c[0].equals("multi") ? TestPayload.copyMulti(dir.resolve("multi")) : PAYLOAD.resolve("single.bin");
            byte[] ours = TorrentCreator.create(content, options.withPieceLength((Integer) c[1]),
                    ProgressListener.NONE);

            assertThat(MetainfoParser.parse(ours).infoHash()).as((String) c[0]).isEqualTo(mktorrent.infoHash());
        }
    }

    @Test
    void writesTrackersPrivateFlagCommentWebSeedsAndDates() throws Exception {
        write(dir.resolve("f"), 10, 8);
        Instant date = Instant.parse("2024-05-06T07:08:09Z");
        TorrentCreator.Options options = TorrentCreator.Options.defaults()
                .withTrackerTiers(List.of(List.of(" http://a/announce ", "http://b/announce"), List.of(), List.of("udp://c:1")))
                .withPrivate(true).withComment("for tests").withWebSeeds(List.of("http://seed/f", " "))
                .withCreationDate(date);

        byte[] bytes = TorrentCreator.create(dir.resolve("f"), options, ProgressListener.NONE);
        Metainfo m = MetainfoParser.parse(bytes);

        assertThat(m.trackerTiers()).containsExactly(List.of("http://a/announce", "http://b/announce"), List.of("udp://c:1"));
        assertThat(BencodeDecoder.decodeDict(bytes).string("announce").orElseThrow().text()).isEqualTo("http://a/announce");
        assertThat(m.isPrivate()).isTrue();
        assertThat(m.comment()).contains("for tests");
        assertThat(m.webSeeds()).containsExactly("http://seed/f");
        assertThat(m.createdBy()).contains("pyto 0.1");
        assertThat(m.creationDate()).contains(date);
        assertThat(bytes).as("canonical bencoding").isEqualTo(BencodeDecoder.decode(bytes).encode());
    }

    @Test
    void writesNoAnnounceListForASingleTrackerAndStampsTheTimeByDefault() throws Exception {
        write(dir.resolve("f"), 10, 9);
        Instant before = Instant.now().minusSeconds(1);

        byte[] bytes = TorrentCreator.create(dir.resolve("f"),
                TorrentCreator.Options.defaults().withTrackerTiers(List.of(List.of(ANNOUNCE))), ProgressListener.NONE);

        BDict torrent = BencodeDecoder.decodeDict(bytes);
        assertThat(torrent.containsKey("announce-list")).isFalse();
        assertThat(torrent.containsKey("url-list")).isFalse();
        assertThat(torrent.containsKey("comment")).isFalse();
        assertThat(torrent.dict("info").orElseThrow().containsKey("private")).isFalse();
        assertThat(MetainfoParser.parse(bytes).creationDate()).hasValueSatisfying(
                d -> assertThat(d).isBetween(before, Instant.now().plusSeconds(1)));
        assertThat(TorrentCreator.create(dir.resolve("f"), TorrentCreator.Options.defaults(), ProgressListener.NONE))
                .satisfies(b -> assertThat(BencodeDecoder.decodeDict(b).containsKey("announce")).isFalse());
    }

    @Test
    void reportsProgressInOrderUpToTheTotal() throws Exception {
        write(dir.resolve("f"), 1_000_000, 10);
        List<long[]> calls = new CopyOnWriteArrayList<>();

        TorrentCreator.create(dir.resolve("f"), TorrentCreator.Options.defaults().withPieceLength(16384),
                (done, total) -> calls.add(new long[] {done, total}));

        assertThat(calls).hasSize(Math.toIntExact(Math.ceilDiv(1_000_000, 16384)));
        assertThat(calls).allSatisfy(c -> assertThat(c[1]).isEqualTo(1_000_000));
        assertThat(calls.stream().mapToLong(c -> c[0]).toArray()).isSorted();
        assertThat(calls.getLast()[0]).isEqualTo(1_000_000);
    }

    @Test
    void skipsSymbolicLinksWithoutFollowingThem() throws Exception {
        Path content = Files.createDirectory(dir.resolve("content"));
        byte[] real = write(content.resolve("real"), 100, 11);
        Path outside = Files.createDirectory(dir.resolve("outside"));
        write(outside.resolve("secret"), 100, 12);
        Files.createSymbolicLink(content.resolve("link-to-file"), content.resolve("real"));
        Files.createSymbolicLink(content.resolve("link-to-dir"), outside);

        Metainfo m = MetainfoParser.parse(TorrentCreator.create(content, TorrentCreator.Options.defaults(),
                ProgressListener.NONE));

        assertThat(m.files()).extracting(FileEntry::displayPath).containsExactly("content/real");
        assertPiecesAreHashesOf(m, real);
    }

    @Test
    void followsASourceThatIsItselfALinkButKeepsTheLinksName() throws Exception {
        byte[] data = write(dir.resolve("target.bin"), 1000, 14);
        Files.createSymbolicLink(dir.resolve("shown.bin"), dir.resolve("target.bin"));

        Metainfo m = MetainfoParser.parse(create(dir.resolve("shown.bin")));

        assertThat(m.name()).isEqualTo("shown.bin");
        assertPiecesAreHashesOf(m, data);
    }

    @Test
    void refusesContentWithoutDataOrWithNamesATorrentCannotCarry() throws Exception {
        Path emptyDir = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> create(emptyDir)).hasMessageContaining("holds no files");

        Path onlyEmptyFiles = Files.createDirectories(dir.resolve("zeros/sub"));
        Files.createFile(onlyEmptyFiles.resolve("a"));
        assertThatThrownBy(() -> create(dir.resolve("zeros"))).hasMessageContaining("holds no data");

        Path backslash = Files.createDirectory(dir.resolve("windows"));
        write(backslash.resolve("a\\b"), 5, 13);
        assertThatThrownBy(() -> create(backslash)).hasMessageContaining("a\\\\b").hasMessageContaining("separator");

        assertThatThrownBy(() -> create(dir.resolve("missing"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void refusesPieceLengthsThatAreNotPowersOfTwoOfAtLeast16KiB() {
        for (int bad : new int[] {0, 1000, 8192, 49152, 1 << 30}) {
            assertThatThrownBy(() -> TorrentCreator.Options.defaults().withPieceLength(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        }
    }

    private byte[] create(Path source) throws Exception {
        return TorrentCreator.create(source, TorrentCreator.Options.defaults(), ProgressListener.NONE);
    }

    /** Hashes every piece of {@code content} here, without the creator's code, and compares. */
    private static void assertPiecesAreHashesOf(Metainfo m, byte[] content) throws Exception {
        assertThat(m.totalLength()).isEqualTo(content.length);
        assertThat(m.pieceCount()).isEqualTo(Math.toIntExact(Math.ceilDiv(content.length, m.pieceLength())));
        var sha1 = java.security.MessageDigest.getInstance("SHA-1");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < m.pieceCount(); i++) {
            int from = Math.toIntExact(i * m.pieceLength());
            byte[] expected = sha1.digest(Arrays.copyOfRange(content, from, (int) Math.min(content.length, from + m.pieceLength())));
            if (!Arrays.equals(expected, m.pieces().hash(i))) {
                mismatches.add("piece " + i);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static byte[] write(Path file, int length, long seed) throws Exception {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
