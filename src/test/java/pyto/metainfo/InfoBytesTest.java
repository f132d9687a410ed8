package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pyto.bencode.BDict;
import pyto.bencode.BencodeDecoder;

/** {@link MetainfoParser#parseInfo}: an info dictionary alone, as BEP 9 delivers it. */
class InfoBytesTest {

    /** Every torrent pyto reads from testdata: good/, real/ and those of libtorrent's suite that it accepts. */
    static Stream<Path> readableTorrents() throws Exception {
        return Stream.of("good", "real", "libtorrent")
                .flatMap(dir -> list(TestData.dir(dir)))
                .filter(file -> file.toString().endsWith(".torrent"))
                .filter(InfoBytesTest::readable)
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableTorrents")
    void readsTheInfoDictOfATorrentAsTheTorrentFileReadsIt(Path file) throws Exception {
        Metainfo torrent = MetainfoParser.read(file);
        byte[] infoBytes = BencodeDecoder.decodeDict(withoutTrailingNewline(Files.readAllBytes(file)))
                .rawBytes("info").orElseThrow();

        Metainfo fromInfo = MetainfoParser.parseInfo(infoBytes, torrent.trackerTiers(), torrent.webSeeds());

        SameTorrent.assertSameTorrent(fromInfo, torrent, false);
        assertThat(fromInfo.infoHash().bytes()).isEqualTo(Sha1.of(infoBytes));
        assertThat(fromInfo.comment()).isEmpty();
        assertThat(fromInfo.createdBy()).isEmpty();
        assertThat(fromInfo.creationDate()).isEmpty();
    }

    @Test
    void keepsTheBytesAsGivenAndHashesThemSo() throws Exception {
        Path good = TestData.dir("good");
        Metainfo torrent = MetainfoParser.read(good.resolve("unsorted-info-keys.torrent"));

        Metainfo fromInfo = MetainfoParser.parseInfo(torrent.infoBytes(), List.of(), List.of());

        assertThat(fromInfo.infoBytes()).isEqualTo(torrent.infoBytes());
        assertThat(fromInfo.infoHash().hex())
                .isEqualTo(Files.readString(good.resolve("unsorted-info-keys.infohash")).strip());
    }

    @Test
    void cleansTrackersAndWebSeedsAsATorrentFileDoes() throws Exception {
        Metainfo torrent = MetainfoParser.read(TestData.dir("good").resolve("single-mktorrent.torrent"));

        Metainfo fromInfo = MetainfoParser.parseInfo(torrent.infoBytes(),
                List.of(List.of(" udp://a:1 ", "udp://a:1", ""), List.of(" "), List.of("udp://b:2")),
                List.of("http://ws/", "", "http://ws/"));

        assertThat(fromInfo.trackerTiers()).containsExactly(List.of("udp://a:1"), List.of("udp://b:2"));
        assertThat(fromInfo.webSeeds()).containsExactly("http://ws/");
    }

    @Test
    void refusesBytesThatAreNotOneDictionary() throws Exception {
        byte[] info = MetainfoParser.read(TestData.dir("good").resolve("single-mktorrent.torrent")).infoBytes();

        assertThatThrownBy(() -> parseInfo(concat(info, "x")))
                .isInstanceOf(MetainfoException.class)
                .hasMessage("not a valid info dictionary: 1 trailing bytes after the value at byte " + info.length);
        assertThatThrownBy(() -> parseInfo(concat(info, "\n")))
                .hasMessageContaining("not a valid info dictionary: 1 trailing bytes");
        assertThatThrownBy(() -> parseInfo(Arrays.copyOf(info, info.length - 1)))
                .hasMessageStartingWith("not a valid info dictionary: unexpected end of input");
        assertThatThrownBy(() -> parseInfo(new byte[0]))
                .hasMessageStartingWith("not a valid info dictionary: unexpected end of input");
        assertThatThrownBy(() -> parseInfo("li1ee".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("not a valid info dictionary: it holds a bencoded list, not a dictionary");
        assertThatThrownBy(() -> parseInfo("de".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("the info dictionary has no 'name' string");
    }

    /** The info dictionaries of testdata/bad that decode: each refused as the torrent file is. */
    static Stream<Path> badInfoDicts() {
        return list(TestData.dir("bad")).filter(file -> infoDict(file).isPresent()).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInfoDicts")
    void refusesABadInfoDictAsTheTorrentFileIsRefused(Path file) throws Exception {
        String fileMessage = catchThrowableOfType(MetainfoException.class, () -> MetainfoParser.read(file)).getMessage();

        assertThatThrownBy(() -> parseInfo(infoDict(file).orElseThrow()))
                .isInstanceOf(MetainfoException.class)
                .satisfies(e -> assertThat(fileMessage).endsWith(": " + e.getMessage()));
    }

    @Test
    void someBadTorrentsHaveInfoDictsToCheck() {
        assertThat(badInfoDicts()).hasSizeGreaterThan(10);
    }

    private static Metainfo parseInfo(byte[] infoBytes) throws MetainfoException {
        return MetainfoParser.parseInfo(infoBytes, List.of(), List.of());
    }

    private static Optional<byte[]> infoDict(Path file) {
        try {
            BDict torrent = BencodeDecoder.decodeDict(Files.readAllBytes(file));
            return torrent.dict("info").flatMap(info -> torrent.rawBytes("info"));
        } catch (java.io.IOException e) { // a BencodeException too
            return Optional.empty();
        }
    }

    private static boolean readable(Path file) {
        try {
            MetainfoParser.read(file);
            return true;
        } catch (MetainfoException e) {
            return false;
        }
    }

    private static byte[] withoutTrailingNewline(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    private static byte[] concat(byte[] bytes, String tail) {
        byte[] out = Arrays.copyOf(bytes, bytes.length + tail.length());
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, out, bytes.length, tail.length());
        return out;
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList().stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
