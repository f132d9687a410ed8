package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Torrents made by mktorrent, transmission-create and libtorrent read as libtorrent reads them. */
class GoodTorrentsTest {

    private static final Path GOOD = TestData.dir("good");

    static Stream<Map<String, String>> expected() {
        return TestData.tsv(GOOD.resolve("EXPECTED.tsv")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expected")
    void readsAsLibtorrentDoes(Map<String, String> row) throws Exception {
        Metainfo torrent = MetainfoParser.read(GOOD.resolve(row.get("file")));

        assertThat(torrent.infoHash().hex()).isEqualTo(row.get("info_hash_v1"));
        assertThat(torrent.pieceCount()).isEqualTo(Integer.parseInt(row.get("pieces")));
        assertThat(torrent.pieceLength()).isEqualTo(Long.parseLong(row.get("piece_length")));
        assertThat(torrent.totalLength()).isEqualTo(Long.parseLong(row.get("total_size_incl_pad")));
        assertThat(torrent.files()).hasSize(Integer.parseInt(row.get("files_incl_pad")));
        assertThat(torrent.files().getLast().end()).isEqualTo(torrent.totalLength());
    }

    @Test
    void everyGoodTorrentIsListed() throws Exception {
        try (Stream<Path> files = Files.list(GOOD)) {
            List<String> torrents = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".torrent")).toList();
            assertThat(expected().map(r -> r.get("file")).toList()).containsExactlyInAnyOrderElementsOf(torrents);
        }
    }

    @Test
    void hashesTheInfoDictionaryAsWrittenNotReencoded() throws Exception {
        Metainfo torrent = MetainfoParser.read(GOOD.resolve("unsorted-info-keys.torrent"));
        String expected = Files.readString(GOOD.resolve("unsorted-info-keys.infohash")).strip();

        assertThat(torrent.infoHash().hex()).isEqualTo(expected);
        assertThat(Sha1.of(pyto.bencode.BencodeDecoder.decode(torrent.infoBytes()).encode()))
                .as("re-encoding sorts the keys and changes the hash")
                .isNotEqualTo(torrent.infoHash().bytes());
    }

    @Test
    void readsAHybridTorrentAsV1WithItsPadFiles() throws Exception {
        Metainfo torrent = MetainfoParser.read(GOOD.resolve("multi-libtorrent-hybrid.torrent"));

        assertThat(torrent.multiFile()).isTrue();
        assertThat(torrent.files()).filteredOn(FileEntry::padding).hasSize(3)
                .allSatisfy(pad -> assertThat(pad.path()).containsExactly("multi", ".pad", Long.toString(pad.length())));
        assertThat(torrent.visibleFiles()).extracting(FileEntry::displayPath).containsExactly(
                "multi/a.txt", "multi/empty.dat", "multi/sub dir/b.bin", "multi/sub dir/deeper/c.bin",
                "multi/sub dir/deeper/été-文件.txt");
        // pad files make every real file but the empty one start on a piece boundary
        assertThat(torrent.visibleFiles()).filteredOn(f -> f.length() > 0)
                .allSatisfy(f -> assertThat(f.offset() % torrent.pieceLength()).isZero());
    }

    @Test
    void readsTiersCommentPrivateFlagAndWebSeed() throws Exception {
        Metainfo multi = MetainfoParser.read(GOOD.resolve("multi-mktorrent.torrent"));
        assertThat(multi.trackerTiers()).containsExactly(
                List.of("http://127.0.0.1:6969/announce"), List.of("udp://127.0.0.1:6969/announce"));
        assertThat(multi.comment()).contains("two tiers");
        assertThat(multi.createdBy()).contains("mktorrent 1.1");
        assertThat(multi.creationDate()).isEmpty();
        assertThat(multi.isPrivate()).isFalse();

        assertThat(MetainfoParser.read(GOOD.resolve("private-mktorrent.torrent")).isPrivate()).isTrue();
        assertThat(MetainfoParser.read(GOOD.resolve("single-transmission.torrent")).isPrivate())
                .as("private 0").isFalse();

        Metainfo webseed = MetainfoParser.read(GOOD.resolve("webseed-mktorrent.torrent"));
        assertThat(webseed.webSeeds()).containsExactly("http://127.0.0.1:8080/single.bin");
        assertThat(webseed.trackerTiers()).containsExactly(List.of("http://127.0.0.1:6969/announce"));
        assertThat(webseed.multiFile()).isFalse();
        assertThat(webseed.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).containsExactly("single.bin");
            assertThat(f.length()).isEqualTo(1_012_345);
        });
    }
}
