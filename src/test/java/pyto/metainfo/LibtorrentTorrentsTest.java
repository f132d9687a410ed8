package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 108 torrents of libtorrent's own test suite, each given the verdict that
 * testdata/libtorrent/EXPECTED.tsv asks of pyto in its pyto_must column.
 */
class LibtorrentTorrentsTest {

    private static final Path DIR = TestData.dir("libtorrent");

    static Stream<Map<String, String>> expected() {
        return TestData.tsv(DIR.resolve("EXPECTED.tsv")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expected")
    void givesTheVerdictPytoMustGive(Map<String, String> row) throws Exception {
        String must = row.get("pyto_must");
        byte[] bytes = Files.readAllBytes(DIR.resolve(row.get("file")));

        switch (must) {
            case "accept, same v1 info hash" -> {
                Metainfo torrent = MetainfoParser.parse(bytes);
                assertThat(torrent.infoHash().hex()).isEqualTo(row.get("info_hash_v1"));
                assertThat(torrent.files().size() + " files").isEqualTo(row.get("libtorrent_detail"));
            }
            case "refuse", "refuse or sanitize; never outside the download dir" -> assertThat(refusal(bytes))
                    .as("%s must be refused", row.get("file")).isNotNull()
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
            case "refuse (v2-only)" -> assertThat(refusal(bytes)).isNotNull()
                    .satisfies(e -> assertThat(e.getMessage()).contains("v2-only", "cannot join"));
            default -> {
                assertThat(must).startsWith("refuse, or accept as v1");
                MetainfoException refusal = refusal(bytes);
                if (refusal != null) {
                    assertThat(refusal.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void allHundredAndEightAreListed() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> torrents = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".torrent")).toList();
            assertThat(torrents).hasSize(108);
            assertThat(expected().map(r -> r.get("file")).toList()).containsExactlyInAnyOrderElementsOf(torrents);
        }
    }

    @Test
    void readsPadFilesAndSymlinksAsTheBrokenOnesExpect() throws Exception {
        Metainfo padNoPath = MetainfoParser.read(DIR.resolve("pad_file_no_path.torrent"));
        assertThat(padNoPath.files()).extracting(FileEntry::path, FileEntry::padding).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("temp", "foo", "bar.txt"), false),
                org.assertj.core.groups.Tuple.tuple(List.of("temp", ".pad", "2124"), true));
        assertThat(padNoPath.visibleFiles()).hasSize(1);
        assertThat(padNoPath.totalLength()).isEqualTo(45 + 2124);

        Metainfo symlinkWithoutLength = MetainfoParser.read(DIR.resolve("symlink_zero_size.torrent"));
        assertThat(symlinkWithoutLength.files()).extracting(FileEntry::displayPath, FileEntry::length)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("temp/a/b/bar", 425L),
                        org.assertj.core.groups.Tuple.tuple("temp/a/b/foo", 0L));

        assertThat(MetainfoParser.read(DIR.resolve("invalid_name3.torrent")).name()).isEqualTo("foobar ");
        assertThat(MetainfoParser.read(DIR.resolve("large_piece_size.torrent")).pieceLength()).isEqualTo(536_854_528L);
    }

    @Test
    void readsTrackersAndWebSeedsLeniently() throws Exception {
        assertThat(MetainfoParser.read(DIR.resolve("whitespace_url.torrent")).trackerTiers())
                .containsExactly(List.of("udp://test.com/announce"));
        assertThat(MetainfoParser.read(DIR.resolve("duplicate_web_seeds.torrent")).webSeeds()).containsExactly(
                "http://foobar.com/foo", "http://foobar.com/foobar", "http://foobar.com/bar");
        assertThat(MetainfoParser.read(DIR.resolve("url_seed_multi_space.torrent")).webSeeds())
                .containsExactly("http://test.com/test file/foo bar");
        for (String noSeeds : List.of("url_list.torrent", "url_list2.torrent", "url_list3.torrent", "empty_httpseed.torrent")) {
            assertThat(MetainfoParser.read(DIR.resolve(noSeeds)).webSeeds()).as(noSeeds).isEmpty();
        }
        Metainfo sample = MetainfoParser.read(DIR.resolve("sample.torrent"));
        assertThat(sample.trackerTiers()).containsExactly(
                List.of("udp://tracker.opentracker.com:80/announce"), List.of("tracker.publicbt.com:80/announce"));
        assertThat(sample.comment()).contains("sample comment");
    }

    @Test
    void keepsAnEarlyButSensibleCreationDateAndNoneWhenAbsent() throws Exception {
        assertThat(MetainfoParser.read(DIR.resolve("creation_date.torrent")).creationDate())
                .contains(java.time.Instant.ofEpochSecond(1_234_567));
        assertThat(MetainfoParser.read(DIR.resolve("no_creation_date.torrent")).creationDate()).isEmpty();
    }

    private static MetainfoException refusal(byte[] bytes) {
        return catchThrowableOfType(MetainfoException.class, () -> MetainfoParser.parse(bytes));
    }
}
