package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.bencode.BencodeDecoder;

class TorrentFileWriterTest {

    static Stream<Path> readableTorrents() throws Exception {
        return InfoBytesTest.readableTorrents();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableTorrents")
    void readsBackAsTheSameTorrent(Path file) throws Exception {
        Metainfo torrent = MetainfoParser.read(file);

        Metainfo back = MetainfoParser.parse(torrent.toTorrentFile());

        SameTorrent.assertSameTorrent(back, torrent, true);
    }

    @Test
    void keepsAnInfoDictWithUnsortedKeysAsItWas() throws Exception {
        Path good = TestData.dir("good");
        Metainfo torrent = MetainfoParser.read(good.resolve("unsorted-info-keys.torrent"));

        byte[] written = torrent.toTorrentFile();

        BDict root = BencodeDecoder.decodeDict(written);
        assertThat(root.rawBytes("info")).contains(torrent.infoBytes());
        assertThat(MetainfoParser.parse(written).infoHash().hex())
                .isEqualTo(Files.readString(good.resolve("unsorted-info-keys.infohash")).strip());
    }

    @Test
    void writesACanonicalTorrentByteForByte() throws Exception {
        BValue info = BencodeDecoder.decode(
                MetainfoParser.read(TestData.dir("good").resolve("single-mktorrent.torrent")).infoBytes());
        BDict canonical = BDict.builder()
                .put("announce", "udp://a.example:1")
                .put("announce-list", new BList(List.<BValue>of(strings("udp://a.example:1", "udp://b.example:2"),
                        strings("http://c.example/announce"))))
                .put("comment", "a comment")
                .put("created by", "hand")
                .put("creation date", 1_700_000_000L)
                .put("info", info)
                .put("url-list", strings("http://ws.example/"))
                .build();
        byte[] bytes = canonical.encode();

        assertThat(MetainfoParser.parse(bytes).toTorrentFile()).isEqualTo(bytes);
    }

    @Test
    void writesAnnounceListOnlyForMoreThanOneTrackerAndUrlListOnlyForWebSeeds() throws Exception {
        byte[] info = MetainfoParser.read(TestData.dir("good").resolve("single-mktorrent.torrent")).infoBytes();

        assertThat(keys(MetainfoParser.parseInfo(info, List.of(), List.of()))).containsExactly("info");
        assertThat(keys(MetainfoParser.parseInfo(info, List.of(List.of("udp://a:1")), List.of())))
                .containsExactly("announce", "info");
        assertThat(keys(MetainfoParser.parseInfo(info, List.of(List.of("udp://a:1", "udp://b:2")), List.of("http://ws/"))))
                .containsExactly("announce", "announce-list", "info", "url-list");

        Metainfo twoTiers = MetainfoParser.parseInfo(info, List.of(List.of("udp://a:1"), List.of("udp://b:2")), List.of());
        BDict root = BencodeDecoder.decodeDict(twoTiers.toTorrentFile());
        assertThat(root.string("announce").map(BString::text)).contains("udp://a:1");
        assertThat(root.list("announce-list").orElseThrow())
                .isEqualTo(new BList(List.<BValue>of(strings("udp://a:1"), strings("udp://b:2"))));
    }

    @Test
    void savesTheTorrentOfAMagnetLinkOnceItsMetadataArrives() throws Exception {
        Metainfo original = MetainfoParser.read(TestData.dir("good").resolve("multi-transmission.torrent"));
        MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:" + original.infoHash().hex()
                + "&dn=whatever&tr=udp%3A%2F%2Fa.example%3A1&tr=udp%3A%2F%2Fb.example%3A2&ws=http%3A%2F%2Fws.example%2F");

        Metainfo fromLink = link.toMetainfo(original.infoBytes());
        Metainfo saved = MetainfoParser.parse(fromLink.toTorrentFile());

        assertThat(saved.infoHash()).isEqualTo(original.infoHash());
        assertThat(saved.files()).isEqualTo(original.files());
        assertThat(saved.trackerTiers()).containsExactly(List.of("udp://a.example:1"), List.of("udp://b.example:2"));
        assertThat(saved.webSeeds()).containsExactly("http://ws.example/");
        assertThat(saved.comment()).isEqualTo(Optional.empty());
    }

    private static List<String> keys(Metainfo torrent) throws Exception {
        return BencodeDecoder.decodeDict(torrent.toTorrentFile()).entries().keySet().stream()
                .map(k -> new String(k.bytes(), StandardCharsets.UTF_8)).toList();
    }

    private static BList strings(String... texts) {
        return new BList(Stream.of(texts).<BValue>map(BString::of).toList());
    }
}
