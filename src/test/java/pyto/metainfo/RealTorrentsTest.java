package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pyto.bencode.BencodeDecoder;

/** Seven torrents as Linux distributions and the Internet Archive published them. */
class RealTorrentsTest {

    private static final Path REAL = TestData.dir("real");

    static Stream<Map<String, String>> expected() {
        return TestData.tsv(REAL.resolve("EXPECTED.tsv")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expected")
    void readsAsLibtorrentDoes(Map<String, String> row) throws Exception {
        Path file = REAL.resolve(row.get("file"));
        Metainfo torrent = MetainfoParser.read(file);

        assertThat(torrent.infoHash().hex()).isEqualTo(row.get("info_hash_v1"));
        assertThat(torrent.name()).isEqualTo(row.get("name"));
        assertThat(torrent.pieceCount()).isEqualTo(Integer.parseInt(row.get("pieces")));
        assertThat(torrent.pieceLength()).isEqualTo(Long.parseLong(row.get("piece_length")));
        assertThat(torrent.totalLength()).isEqualTo(Long.parseLong(row.get("total_size")));
        assertThat(torrent.files()).hasSize(Integer.parseInt(row.get("files")));
        assertThat(torrent.trackerTiers()).hasSize(Integer.parseInt(row.get("tracker_tiers")));
        // libtorrent's web seeds include BEP 17 httpseeds, a different protocol that pyto does not read
        int httpSeeds = BencodeDecoder.decodeDict(Files.readAllBytes(file)).list("httpseeds")
                .map(l -> l.size()).orElse(0);
        assertThat(torrent.webSeeds().size() + httpSeeds).isEqualTo(Integer.parseInt(row.get("web_seeds")));
    }

    @Test
    void keepsTheInternetArchivesHundredAndFiveTiersButListsEachTrackerOnce() throws Exception {
        Metainfo torrent = MetainfoParser.read(REAL.resolve("347B211B61AC09B07A7747C85D24CA7FBD5355C1.torrent"));

        assertThat(torrent.trackerTiers()).hasSize(105).allSatisfy(tier -> assertThat(tier).hasSize(1));
        assertThat(torrent.trackers()).hasSize(72).doesNotHaveDuplicates();
        assertThat(torrent.trackers().getFirst()).isEqualTo("http://bigfoot1942.sektori.org:6969/announce");
        assertThat(torrent.webSeeds()).hasSize(5).first().isEqualTo("https://dumps.wikimedia.org/enwiki/");
        assertThat(torrent.createdBy()).contains("Tixati v2.53");
        assertThat(torrent.creationDate()).contains(java.time.Instant.ofEpochSecond(1_491_595_537));
    }

    @Test
    void debianHasOnlyBep17HttpSeedsSoNoWebSeeds() throws Exception {
        Metainfo torrent = MetainfoParser.read(REAL.resolve("debian-9.2.1-amd64-netinst.iso.torrent"));
        assertThat(torrent.webSeeds()).isEmpty();
        assertThat(torrent.comment()).contains("\"Debian CD from cdimage.debian.org\"");
        assertThat(torrent.createdBy()).isEmpty();
    }
}
