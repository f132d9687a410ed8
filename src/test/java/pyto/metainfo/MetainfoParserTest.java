package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;

class MetainfoParserTest {

    /** "hello, world" in 5-byte pieces: three pieces, the last one 2 bytes. */
    private static final byte[] HELLO = "hello, world".getBytes(StandardCharsets.US_ASCII);

    @Test
    void readsASingleFileTorrentBuiltInCode() throws Exception {
        BDict info = helloInfo().build();
        BDict torrent = BDict.builder()
                .put("announce", "http://tracker.example/announce")
                .put("comment", "greeting")
                .put("created by", "hand")
                .put("creation date", 1_700_000_000L)
                .put("info", info)
                .build();

        Metainfo m = MetainfoParser.parse(torrent.encode());

        assertThat(m.name()).isEqualTo("hello.txt");
        assertThat(m.multiFile()).isFalse();
        assertThat(m.pieceLength()).isEqualTo(5);
        assertThat(m.pieceCount()).isEqualTo(3);
        assertThat(m.pieceSize(2)).isEqualTo(2);
        assertThat(m.totalLength()).isEqualTo(12);
        assertThat(m.files()).extracting(FileEntry::path, FileEntry::length, FileEntry::offset, FileEntry::padding)
                .containsExactly(tuple(List.of("hello.txt"), 12L, 0L, false));
        assertThat(m.pieces().matches(1, Sha1.of(", wor".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        assertThat(m.infoBytes()).isEqualTo(info.encode());
        assertThat(m.infoHash().bytes()).isEqualTo(Sha1.of(info.encode()));
        assertThat(m.trackerTiers()).containsExactly(List.of("http://tracker.example/announce"));
        assertThat(m.comment()).contains("greeting");
        assertThat(m.createdBy()).contains("hand");
        assertThat(m.creationDate()).contains(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(m.isPrivate()).isFalse();
        assertThat(m.webSeeds()).isEmpty();
    }

    @Test
    void laysMultipleFilesEndToEndBelowTheName() throws Exception {
        Metainfo m = parse(multiInfo(9, file(3, "a"), file(0, "dir", "empty"), file(6, "dir", "c")).put("private", 1L));

        assertThat(m.multiFile()).isTrue();
        assertThat(m.isPrivate()).isTrue();
        assertThat(m.files()).extracting(FileEntry::displayPath, FileEntry::length, FileEntry::offset).containsExactly(
                tuple("top/a", 3L, 0L), tuple("top/dir/empty", 0L, 3L), tuple("top/dir/c", 6L, 3L));
        assertThat(m.totalLength()).isEqualTo(9);
    }

    @Test
    void refusesAFileThatIsAlsoADirectoryInEitherOrder() {
        assertThatThrownBy(() -> parse(multiInfo(2, file(1, "a"), file(1, "a", "b"))))
                .hasMessageContaining("file 2 \"top/a/b\" lies inside file 1 \"top/a\"");
        assertThatThrownBy(() -> parse(multiInfo(2, file(1, "a", "b"), file(1, "a"))))
                .hasMessageContaining("file 2 \"top/a\" is also a directory");
    }

    @Test
    void padFilesNeedNoPathAndNeverCollide() throws Exception {
        BDict pad = BDict.builder().put("attr", "p").put("length", 3L).build();
        BDict padWithBadPath = BDict.builder().put("attr", "p").put("length", 3L)
                .put("path", BList.of(BString.of(".."))).build();

        Metainfo m = parse(multiInfo(8, file(1, "a"), pad, padWithBadPath, file(1, "b")));

        assertThat(m.files()).extracting(FileEntry::path, FileEntry::padding).containsExactly(
                tuple(List.of("top", "a"), false), tuple(List.of("top", ".pad", "3"), true),
                tuple(List.of("top", ".pad", "3"), true), tuple(List.of("top", "b"), false));
        assertThat(m.visibleFiles()).hasSize(2);
        assertThat(m.files().get(3).offset()).isEqualTo(7);
    }

    @Test
    void aSymlinkIsAnOrdinaryFileAndMayOmitItsLength() throws Exception {
        BDict link = BDict.builder().put("attr", "l").put("path", BList.of(BString.of("link")))
                .put("symlink path", BList.of(BString.of(".."), BString.of("etc"))).build();
        Metainfo m = parse(multiInfo(1, file(1, "a"), link));
        assertThat(m.files()).extracting(FileEntry::displayPath, FileEntry::length)
                .containsExactly(tuple("top/a", 1L), tuple("top/link", 0L));

        BDict noLength = BDict.builder().put("path", BList.of(BString.of("x"))).build();
        assertThatThrownBy(() -> parse(multiInfo(1, file(1, "a"), noLength))).hasMessage("file 2 has no length");
    }

    @Test
    void readsTrackerTiersLeniently() throws Exception {
        BList tiers = BList.of(
                BList.of(BString.of(" http://a/announce\n"), BString.of("http://b/announce"), BString.of("http://a/announce")),
                BList.of(BString.of("  "), new BInteger(7)),
                BString.of("http://not-a-tier/announce"),
                BList.of(BString.of("udp://c:80")));
        Metainfo m = MetainfoParser.parse(BDict.builder().put("info", helloInfo().build())
                .put("announce", "http://ignored/announce").put("announce-list", tiers).build().encode());

        assertThat(m.trackerTiers()).containsExactly(
                List.of("http://a/announce", "http://b/announce"), List.of("udp://c:80"));
    }

    @Test
    void fallsBackToAnnounceWhenTheAnnounceListHasNothingUsable() throws Exception {
        Metainfo m = MetainfoParser.parse(BDict.builder().put("info", helloInfo().build())
                .put("announce", "http://only/announce").put("announce-list", BList.of(BList.of())).build().encode());
        assertThat(m.trackerTiers()).containsExactly(List.of("http://only/announce"));

        Metainfo none = MetainfoParser.parse(BDict.builder().put("info", helloInfo().build())
                .put("announce", " ").build().encode());
        assertThat(none.trackerTiers()).isEmpty();
    }

    @Test
    void readsAUrlListGivenAsOneString() throws Exception {
        Metainfo m = MetainfoParser.parse(BDict.builder().put("info", helloInfo().build())
                .put("url-list", "http://seed/hello.txt").build().encode());
        assertThat(m.webSeeds()).containsExactly("http://seed/hello.txt");
    }

    @Test
    void ignoresNonsensicalCreationDates() throws Exception {
        for (long date : new long[] {0, -5, 253_402_300_800L, Long.MAX_VALUE}) {
            Metainfo m = MetainfoParser.parse(BDict.builder().put("info", helloInfo().build())
                    .put("creation date", date).build().encode());
            assertThat(m.creationDate()).as("creation date %d", date).isEmpty();
        }
    }

    @Test
    void acceptsPiecesOfUpTo512MiB() throws Exception {
        long max = 512L * 1024 * 1024;
        assertThat(parse(helloInfo().put("piece length", max).put("pieces", new byte[20])).pieceLength()).isEqualTo(max);
        assertThatThrownBy(() -> parse(helloInfo().put("piece length", max + 1).put("pieces", new byte[20])))
                .hasMessage("the piece length 536870913 is larger than 512 MiB");
    }

    @Test
    void refusesLengthsThatAddUpPastWhatATorrentCanHold() {
        long huge = Long.MAX_VALUE / 2;
        assertThatThrownBy(() -> parse(multiInfo(0, file(huge, "a"), file(huge, "b"))))
                .hasMessageContaining("add up to more bytes");
    }

    @Test
    void readsAHybridThroughItsV1KeysAndRefusesAV2OnlyOrUnknownVersion() throws Exception {
        BDict leaf = BDict.builder().put("", BDict.builder().put("length", 12L).put("pieces root", new byte[32]).build()).build();
        BDict fileTree = BDict.builder().put("hello.txt", leaf).build();

        Metainfo hybrid = parse(helloInfo().put("meta version", 2L).put("file tree", fileTree));
        assertThat(hybrid.totalLength()).isEqualTo(12);

        BDict v2only = BDict.builder().put("name", "hello.txt").put("piece length", 16384L)
                .put("meta version", 2L).put("file tree", fileTree).build();
        assertThatThrownBy(() -> parse(v2only)).hasMessageContaining("v2-only (BEP 52)");

        assertThatThrownBy(() -> parse(helloInfo().put("meta version", 3L))).hasMessageContaining("meta version");
    }

    @Test
    void toleratesATrailingNewlineButNoOtherTrailingBytes() throws Exception {
        byte[] torrent = BDict.builder().put("info", helloInfo().build()).build().encode();
        byte[] withNewline = Arrays.copyOf(torrent, torrent.length + 2);
        withNewline[torrent.length] = '\r';
        withNewline[torrent.length + 1] = '\n';
        assertThat(MetainfoParser.parse(withNewline).infoHash()).isEqualTo(MetainfoParser.parse(torrent).infoHash());

        byte[] withGarbage = Arrays.copyOf(torrent, torrent.length + 1);
        withGarbage[torrent.length] = 'x';
        assertThatThrownBy(() -> MetainfoParser.parse(withGarbage)).hasMessageContaining("trailing");
    }

    @Test
    void namesWhatTheTopLevelValueIsWhenItIsNotADictionary() {
        assertThatThrownBy(() -> MetainfoParser.parse("i42e".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MetainfoException.class)
                .hasMessage("not a valid torrent file: it holds a bencoded integer, not a dictionary");
    }

    @Test
    void keepsHostileNamesOnOneLineInMessages() {
        assertThatThrownBy(() -> parse(multiInfo(1, file(1, "evil\nline/x"))))
                .hasMessageContaining("evil\\u000aline/x").hasMessageNotContaining("\n");
    }

    @Test
    void readNamesTheFileAndWhyItCouldNotBeRead(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.torrent");
        assertThatThrownBy(() -> MetainfoParser.read(missing))
                .isInstanceOf(MetainfoException.class).hasMessage("cannot read " + missing + ": no such file");
        assertThatThrownBy(() -> MetainfoParser.read(dir)).hasMessageContaining("is a directory");

        Path huge = dir.resolve("huge.torrent");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(MetainfoParser.MAX_TORRENT_FILE_BYTES + 1L);
        }
        assertThatThrownBy(() -> MetainfoParser.read(huge)).hasMessageContaining("larger than any torrent file");

        Path good = dir.resolve("hello.torrent");
        Files.write(good, BDict.builder().put("info", helloInfo().build()).build().encode());
        assertThat(MetainfoParser.read(good).name()).isEqualTo("hello.txt");
    }

    private static BDict.Builder helloInfo() {
        byte[] pieces = new byte[60];
        for (int i = 0; i < 3; i++) {
            byte[] piece = Arrays.copyOfRange(HELLO, i * 5, Math.min(HELLO.length, i * 5 + 5));
            System.arraycopy(Sha1.of(piece), 0, pieces, i * 20, 20);
        }
        return BDict.builder().put("length", 12L).put("name", "hello.txt").put("piece length", 5L).put("pieces", pieces);
    }

    /** A multi-file info dictionary named "top" with one piece of {@code pieceLength} bytes (zero hashes). */
    private static BDict.Builder multiInfo(long pieceLength, BDict... files) {
        return BDict.builder().put("files", new BList(List.<BValue>of(files))).put("name", "top")
                .put("piece length", Math.max(1, pieceLength)).put("pieces", new byte[20]);
    }

    private static BDict file(long length, String... path) {
        return BDict.builder().put("length", length)
                .put("path", new BList(Arrays.stream(path).<BValue>map(BString::of).toList())).build();
    }

    private static Metainfo parse(BDict.Builder info) throws MetainfoException {
        return parse(info.build());
    }

    private static Metainfo parse(BDict info) throws MetainfoException {
        return MetainfoParser.parse(BDict.builder().put("info", info).build().encode());
    }
}
