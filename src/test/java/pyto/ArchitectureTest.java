package pyto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the packages in layers: every reference from one pyto package to another must be an
 * arrow that {@link #ALLOWED} lists. Dependencies point down, from the command line to the
 * session to the protocol pieces, never back up; the protocol pieces ({@code wire},
 * {@code tracker}) never see {@code peer}, {@code storage} or {@code session}. The table here
 * is the rule itself; the README's package map ("How the source is laid out") describes the
 * same layers in prose.
 */
class ArchitectureTest {

    private static final Set<String> ALL = Set.of(
            "bencode", "concurrent", "metainfo", "piece", "wire", "tracker", "storage", "peer", "dht",
            "session", "daemon", "cli");

    /**
     * Which packages each package may import. Beyond the plain layering, two arrows need a
     * reason: metainfo and storage use {@code pyto.concurrent.Workers} to hash pieces on every
     * core (torrent creation, the resume check), rather than each writing its own fork and
     * join; and wire reads bencode, because the payloads of the extension protocol (BEP 10:
     * the extended handshake, ut_metadata, ut_pex) are bencoded dictionaries.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("bencode", Set.of()),
            Map.entry("concurrent", Set.of()),
            Map.entry("metainfo", Set.of("bencode", "concurrent")),
            Map.entry("piece", Set.of("metainfo")),
            Map.entry("wire", Set.of("bencode", "metainfo")),
            Map.entry("tracker", Set.of("bencode", "metainfo", "concurrent")),
            Map.entry("storage", Set.of("metainfo", "piece", "concurrent")),
            Map.entry("peer", Set.of("wire", "piece", "storage", "metainfo", "concurrent")),
            Map.entry("dht", Set.of("bencode", "metainfo", "concurrent")),
            Map.entry("session", Set.of(
                    "bencode", "concurrent", "metainfo", "piece", "wire", "tracker", "storage", "peer", "dht")),
            Map.entry("daemon", Set.of(
                    "bencode", "concurrent", "metainfo", "piece", "wire", "tracker", "storage", "peer", "dht",
                    "session")),
            Map.entry("cli", Set.of(
                    "bencode", "concurrent", "metainfo", "piece", "wire", "tracker", "storage", "peer", "dht",
                    "session", "daemon")));

    // "pyto.wire.PeerMessage", in an import or written out in code
    private static final Pattern REFERENCE = Pattern.compile("\\bpyto\\.([a-z]+)\\.[A-Za-z*]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private static final Path MAIN = Path.of("src/main/java/pyto");

    @Test
    void everyPackageIsInTheTable() throws IOException {
        try (Stream<Path> dirs = Files.list(MAIN)) {
            List<String> packages = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
            assertThat(ALL).containsAll(packages);
        }
    }

    @Test
    void dependenciesFollowTheTable() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = MAIN.relativize(file).getName(0).toString();
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll("");
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    String to = m.group(1);
                    if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
                        violations.add(MAIN.relativize(file) + ": " + from + " -> " + to);
                    }
                }
            }
        }
        assertThat(violations).as("arrows that ALLOWED does not list").isEmpty();
    }
}
