package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TestPayload;

/**
 * The built jar, run as a user runs it ({@link PytoProcess}): what each command prints, its
 * exit code (0 fine, 2 bad usage or bad input), and a whole download between three
 * processes: a tracker, a seeder and a leecher.
 */
class JarIT {

    @TempDir
    Path dir;

    @Test
    void infoPrintsWhatATorrentHolds() throws Exception {
        Path torrent = testdata("good").resolve("multi-mktorrent.torrent");
        String expectedHash = expectedInfoHash("multi-mktorrent.torrent");
        PytoProcess info = PytoProcess.run(dir, "info", "info", torrent.toString());
        assertThat(info.exitCode()).as(info.transcript()).isZero();
        assertThat(info.stdout()).contains(expectedHash).contains("multi");
        assertThat(info.stderr()).isEmpty();
    }

    @Test
    void infoOnABadTorrentSaysWhatIsWrongInOneLine() throws Exception {
        List<Path> bad;
        try (Stream<Path> files = Files.list(testdata("bad"))) {
            bad = files.filter(f -> f.toString().endsWith(".torrent")).sorted().toList();
        }
        assertThat(bad).hasSizeGreaterThan(10);
        for (Path torrent : bad) {
            String name = torrent.getFileName().toString();
            PytoProcess info = PytoProcess.run(dir, "info-" + name, "info", torrent.toString());
            assertThat(info.exitCode()).as(name + "\n" + info.transcript()).isEqualTo(Main.USAGE);
            assertThat(info.stderr().lines().toList()).as(name + ": stderr").singleElement()
                    .asString().startsWith("pyto: ").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(info.stdout()).as(name + ": stdout").isEmpty();
        }
    }

    @Test
    void createMakesATorrentThatInfoReadsBack() throws Exception {
        Path payload = copyOfPayload();
        Path torrent = dir.resolve("made.torrent");
        PytoProcess create = PytoProcess.run(dir, "create", "create", payload.toString(),
                "-t", "http://127.0.0.1:6969/announce", "--piece-length", "32k", "-o", torrent.toString());
        assertThat(create.exitCode()).as(create.transcript()).isZero();

        String hash = MetainfoParser.read(torrent).infoHash().hex();
        assertThat(create.stdout()).contains(hash);
        PytoProcess info = PytoProcess.run(dir, "info-made", "info", torrent.toString());
        assertThat(info.exitCode()).as(info.transcript()).isZero();
        assertThat(info.stdout()).contains(hash).contains("http://127.0.0.1:6969/announce");
    }

    @Test
    void badUsageExitsWithTwoAndOneLine() throws Exception {
        Path payload = copyOfPayload();
        Map<String, String[]> cases = Map.of(
                "create-unknown-option", new String[] {"create", payload.toString(), "--bogus", "-o", dir.resolve("x.torrent").toString()},
                "create-bad-piece-length", new String[] {"create", payload.toString(), "--piece-length", "banana", "-o", dir.resolve("y.torrent").toString()},
                "create-no-output", new String[] {"create", payload.toString()},
                "download-no-torrent", new String[] {"download"},
                "download-bad-ratio", new String[] {"download", "x.torrent", "--ratio", "-1"},
                "download-bad-magnet", new String[] {"download", "magnet:?xt=urn:btih:1234"},
                "info-magnet-without-hash", new String[] {"info", "magnet:?dn=nothing"},
                "seed-a-magnet", new String[] {"seed", "magnet:?xt=urn:btih:" + "ab".repeat(20), "-d", "."},
                "unknown-command", new String[] {"fetch"});
        for (var c : cases.entrySet()) {
            PytoProcess p = PytoProcess.run(dir, c.getKey(), c.getValue());
            assertThat(p.exitCode()).as(c.getKey() + "\n" + p.transcript()).isEqualTo(Main.USAGE);
            assertThat(p.stderr().lines().toList()).as(c.getKey() + ": stderr").singleElement()
                    .asString().startsWith("pyto: ").doesNotContain("Exception");
        }
        assertThat(dir.resolve("x.torrent")).as("nothing written on a usage error").doesNotExist();
    }

    @Test
    void helpExitsWithZero() throws Exception {
        PytoProcess help = PytoProcess.run(dir, "help", "--help");
        assertThat(help.exitCode()).as(help.transcript()).isZero();
        assertThat(help.stdout()).contains("usage: pyto").contains("download").contains("create");
        PytoProcess downloadHelp = PytoProcess.run(dir, "download-help", "download", "--help");
        assertThat(downloadHelp.exitCode()).isZero();
        assertThat(downloadHelp.stdout()).contains("--ratio");
    }

    @Test
    void aTrackerASeederAndALeecherInThreeProcesses() throws Exception {
        Path payload = copyOfPayload(); // dir/seed/multi: has an empty file and a non-ASCII name
        int trackerPort = PytoProcess.freePort();
        String announce = "http://127.0.0.1:" + trackerPort + "/announce";
        Path torrent = dir.resolve("multi.torrent");
        PytoProcess create = PytoProcess.run(dir, "create", "create", payload.toString(), "-t", announce,
                "--piece-length", "16k", "-o", torrent.toString());
        assertThat(create.exitCode()).as(create.transcript()).isZero();

        try (PytoProcess tracker = PytoProcess.start(dir, "tracker", "tracker", "--port", Integer.toString(trackerPort),
                "--interval", "2")) {
            PytoProcess.awaitPort(trackerPort); // else the seeder's first announce fails and it waits to retry
            try (PytoProcess seeder = PytoProcess.start(dir, "seeder", "seed", torrent.toString(),
                    "-d", payload.getParent().toString(), "-p", "0");
                 PytoProcess leecher = PytoProcess.start(dir, "leecher", "download", torrent.toString(),
                         "-d", dir.resolve("leecher").toString(), "--ratio", "0", "-p", "0")) {
                assertThat(leecher.awaitExit(60)).as(leecher.transcript()).isZero();
                assertThat(leecher.stdout()).contains("complete");
                assertThat(seeder.isAlive()).as("seeder still running\n" + seeder.transcript()).isTrue();
                assertThat(tracker.isAlive()).as("tracker still running\n" + tracker.transcript()).isTrue();
            }
        }
        PytoProcess.assertSameTree(payload, dir.resolve("leecher").resolve("multi"));
    }

    /**
     * A magnet link, as a user pastes it, with the seeder's address in it and no tracker: the
     * leecher process fetches the metadata, then the data, saves the .torrent beside it, and
     * exits once complete.
     */
    @Test
    void aMagnetLinkDownloadsInAProcessOfItsOwn() throws Exception {
        Path payload = copyOfPayload();
        Path torrent = dir.resolve("multi.torrent");
        PytoProcess create = PytoProcess.run(dir, "create", "create", payload.toString(), "-t",
                "http://127.0.0.1:9/announce", "--piece-length", "16k", "-o", torrent.toString());
        assertThat(create.exitCode()).as(create.transcript()).isZero();
        PytoProcess info = PytoProcess.run(dir, "info", "info", torrent.toString());
        String magnet = info.stdout().lines().filter(l -> l.startsWith("magnet:")).findFirst()
                .map(l -> l.substring("magnet:".length()).trim()).orElseThrow();
        assertThat(magnet).startsWith("magnet:?xt=urn:btih:");

        int seederPort = PytoProcess.freePort();
        try (PytoProcess seeder = PytoProcess.start(dir, "seeder", "seed", torrent.toString(),
                "-d", payload.getParent().toString(), "-p", Integer.toString(seederPort))) {
            PytoProcess.awaitPort(seederPort);
            PytoProcess leecher = PytoProcess.run(dir, "magnet", magnet + "&x.pe=127.0.0.1:" + seederPort,
                    "-d", dir.resolve("leecher").toString(), "--ratio", "0", "-p", "0");
            assertThat(leecher.exitCode()).as(leecher.transcript()).isZero();
            assertThat(leecher.stdout()).contains("complete");
            assertThat(seeder.isAlive()).as(seeder.transcript()).isTrue();
        }
        PytoProcess.assertSameTree(payload, dir.resolve("leecher").resolve("multi"));
        assertThat(dir.resolve("leecher").resolve("multi.torrent")).as("the metadata, saved").exists();
    }

    /** testdata/payload/multi copied to dir/seed/multi, so nothing writes into the repository. */
    private Path copyOfPayload() throws IOException {
        return TestPayload.copyMulti(dir.resolve("seed").resolve("multi"));
    }

    private static Path testdata(String name) {
        return Path.of(System.getProperty("pyto.testdata", "testdata")).resolve(name);
    }

    private static String expectedInfoHash(String torrent) throws IOException {
        for (String line : Files.readAllLines(testdata("good").resolve("EXPECTED.tsv"))) {
            String[] cells = line.split("\t");
            if (cells[0].equals(torrent)) {
                return cells[1];
            }
        }
        throw new AssertionError(torrent + " is not in EXPECTED.tsv");
    }
}
