package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.session.SlowLink;
import pyto.storage.CheckResult;
import pyto.storage.Storage;

/**
 * {@code pyto download} killed with SIGKILL part-way (no shutdown hook, no flush, nothing
 * said to anyone) and started again: it checks what is on disk, fetches the rest, exits 0, and
 * not one byte differs from the seeder's. A {@link SlowLink} in this JVM sits between the
 * leecher process and the seeder process, so the kill lands half-way and the test can count
 * what each run fetched.
 */
class KillResumeIT {

    static final int PIECE = 64 * 1024;
    static final long RATE = 2L << 20;
    /** Two pieces: blocks fetched twice at the very end (endgame). */
    static final long SLACK = 2L * PIECE;

    @TempDir
    Path dir;

    @Test
    void aDownloadKilledPartWayResumesAndCompletes() throws Exception {
        Path payload = Files.createDirectories(dir.resolve("seed").resolve("payload"));
        Random random = new Random(7);
        for (String name : new String[] {"a.bin", "b.bin"}) {
            byte[] data = new byte[2_000_000 + random.nextInt(100_000)];
            random.nextBytes(data);
            Files.write(payload.resolve(name), data);
        }
        byte[] torrentBytes = TorrentCreator.create(payload,
                TorrentCreator.Options.defaults().withPieceLength(PIECE), (done, total) -> { });
        Path torrent = Files.write(dir.resolve("payload.torrent"), torrentBytes);
        Metainfo metainfo = MetainfoParser.parse(torrentBytes);
        long total = metainfo.totalLength();

        int seedPort = PytoProcess.freePort();
        try (PytoProcess seeder = PytoProcess.start(dir, "seeder", "seed", torrent.toString(),
                "-d", dir.resolve("seed").toString(), "-p", Integer.toString(seedPort))) {
            PytoProcess.awaitPeer(seedPort, metainfo.infoHash());
            try (SlowLink link = SlowLink.to(new InetSocketAddress("127.0.0.1", seedPort), RATE)) {
                String[] download = {"download", torrent.toString(), "-d", dir.resolve("leecher").toString(),
                        "--ratio", "0", "-p", "0", "--peer", "127.0.0.1:" + link.address().getPort()};

                long firstRun;
                try (PytoProcess first = PytoProcess.start(dir, "leecher-1", download)) {
                    await().atMost(Duration.ofSeconds(30))
                            .failFast("leecher ended on its own", () -> !first.isAlive())
                            .until(() -> link.delivered() >= total * 2 / 5);
                    first.kill();
                    firstRun = link.delivered();
                }
                assertThat(firstRun).as("bytes delivered before the kill").isLessThan(total);
                // What the first run verified is on disk (only verified pieces are written):
                // the kernel keeps what was written when a process is killed.
                long verifiedAtKill;
                try (Storage onDisk = new Storage(metainfo, dir.resolve("leecher"))) {
                    CheckResult found = onDisk.check((done, all) -> { });
                    verifiedAtKill = 0;
                    for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
                        verifiedAtKill += found.has(piece) ? metainfo.pieceSize(piece) : 0;
                    }
                }
                assertThat(verifiedAtKill).as("bytes verified before the kill").isPositive();

                try (PytoProcess second = PytoProcess.start(dir, "leecher-2", download)) {
                    assertThat(second.awaitExit(60)).as(second.transcript()).isZero();
                }
                long secondRun = link.delivered() - firstRun;
                // The second run fetches only what was not verified. (Not "what was not
                // delivered": blocks waiting in memory for their piece's check, or in the
                // kernel's socket buffers, die with the process, the more of them the busier
                // the machine; they were never verified, so nothing verified is lost.)
                assertThat(secondRun).as("bytes the second run fetched; %d of %d were verified", verifiedAtKill, total)
                        .isLessThanOrEqualTo(total - verifiedAtKill + SLACK);
            }
            assertThat(seeder.isAlive()).as("seeder still running\n" + seeder.transcript()).isTrue();
        }
        PytoProcess.assertSameTree(payload, dir.resolve("leecher").resolve("payload"));
    }
}
