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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every torrent in testdata/bad is refused with one line that names its problem. */
class BadTorrentsTest {

    private static final Path BAD = TestData.dir("bad");

    /** For each bad torrent, words its refusal must contain. */
    private static final Map<String, List<String>> WORDS = Map.ofEntries(
            Map.entry("absolute-path.torrent", List.of("file 1", "absolute path", "/etc")),
            Map.entry("both-length-and-files.torrent", List.of("both 'length'", "'files'")),
            Map.entry("deep-nesting.torrent", List.of("not a valid torrent file", "nesting")),
            Map.entry("duplicate-file-paths.torrent", List.of("file 2", "same path", "file 1", "m/a")),
            Map.entry("empty-path.torrent", List.of("file 1", "empty path")),
            Map.entry("empty.torrent", List.of("not a valid torrent file", "empty")),
            Map.entry("huge-string-length.torrent", List.of("not a valid torrent file", "string length")),
            Map.entry("info-not-dict.torrent", List.of("'info'", "list", "not a dictionary")),
            Map.entry("leading-zero-int.torrent", List.of("not a valid torrent file", "leading zero")),
            Map.entry("missing-info.torrent", List.of("no 'info'")),
            Map.entry("multi-libtorrent-v2only.torrent", List.of("v2-only", "BEP 52", "v1 client", "cannot join")),
            Map.entry("name-traversal.torrent", List.of("name", "\"..\"")),
            Map.entry("negative-length.torrent", List.of("negative length", "-5")),
            Map.entry("negative-zero-int.torrent", List.of("not a valid torrent file", "negative zero")),
            Map.entry("not-bencode.torrent", List.of("not a valid torrent file", "'<'")),
            Map.entry("path-traversal.torrent", List.of("file 1", "\"..\"", "climb out")),
            Map.entry("pieces-not-multiple-of-20.torrent", List.of("'pieces'", "13 bytes", "multiple of 20")),
            Map.entry("slash-in-component.torrent", List.of("file 1", "separator", "a/../../b")),
            Map.entry("too-few-pieces.torrent", List.of("holds 1 piece hash,", "need 3")),
            Map.entry("trailing-garbage.torrent", List.of("not a valid torrent file", "trailing")),
            Map.entry("truncated.torrent", List.of("not a valid torrent file", "runs past the end")),
            Map.entry("zero-piece-length.torrent", List.of("piece length", "positive")));

    static Stream<Arguments> badTorrents() {
        return WORDS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTorrents")
    void isRefusedWithAClearMessage(String file, List<String> words) throws Exception {
        byte[] bytes = Files.readAllBytes(BAD.resolve(file));

        MetainfoException refusal = catchThrowableOfType(MetainfoException.class, () -> MetainfoParser.parse(bytes));

        assertThat(refusal).as(file + " must be refused").isNotNull();
        assertThat(refusal.getMessage()).doesNotContain("\n").contains(words);
    }

    @Test
    void everyBadTorrentHasItsWords() throws Exception {
        try (Stream<Path> files = Files.list(BAD)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(WORDS.keySet());
        }
    }

    @Test
    void refusesDeepNestingInMilliseconds() throws Exception {
        byte[] bytes = Files.readAllBytes(BAD.resolve("deep-nesting.torrent"));
        MetainfoParser.class.getName(); // load the classes before timing
        catchThrowableOfType(MetainfoException.class, () -> MetainfoParser.parse("de".getBytes()));

        long start = System.nanoTime();
        MetainfoException refusal = catchThrowableOfType(MetainfoException.class, () -> MetainfoParser.parse(bytes));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(refusal).isNotNull();
        assertThat(millis).isLessThan(500);
    }

    @Test
    void readNamesTheFileInItsMessage() {
        Path file = BAD.resolve("path-traversal.torrent");
        MetainfoException refusal = catchThrowableOfType(MetainfoException.class, () -> MetainfoParser.read(file));
        assertThat(refusal.getMessage()).startsWith(file + ": ").contains("\"..\"");
    }
}
