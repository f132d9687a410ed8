package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download stopped half-way and started again by a new session on the same directory: the
 * resume check finds the pieces verified before the stop, only the rest is fetched, and the
 * result is byte for byte the original. The first run downloads through a {@link SlowLink},
 * so that "half-way" lasts long enough to be caught on loopback.
 */
class ResumeIT {

    /** 3.5 MB in 32 KiB pieces (107 pieces over two files), paced to 4 MiB/s: about a second. */
    static final int PIECE = 32 * 1024;
    static final long RATE = 4L << 20;
    /** Room for a duplicate block or two; with one seeder the second run should waste nothing. */
    static final long SLACK = 2L * PIECE;

    @TempDir
    Path dir;

    @Test
    void aSessionClosedHalfWayResumesWhereItStopped() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 2_000_000, 1_500_001);
        long total = swarm.metainfo.totalLength();
        try (swarm) {
            swarm.seeder();
            Torrent run1;
            try (SlowLink link = SlowLink.to(swarm.seederAddress(), RATE)) {
                run1 = swarm.leecher("leecher");
                run1.addPeers(List.of(link.address()));
                await().atMost(Duration.ofSeconds(30)).until(() -> run1.status().completedBytes() >= total / 2);
                // Hold the link and let what is already on its way land, so that no piece is
                // being hashed when the session closes: the count below is then the whole truth.
                link.hold();
                awaitSettled(run1);
                swarm.sessions.get(1).close();
            }
            int verifiedAtStop = run1.swarm().pieces().picker().have().cardinality();
            long verifiedBytesAtStop = run1.status().completedBytes();
            assertThat(verifiedAtStop).as("pieces verified before the stop")
                    .isPositive().isLessThan(swarm.metainfo.pieceCount());

            Torrent run2 = swarm.leecher("leecher");
            // No peers until the check is done, so what it found is not mixed with new pieces.
            assertThat(run2.awaitState(Set.of(Torrent.State.DOWNLOADING), Duration.ofSeconds(10))).as("checked, then downloading").isEqualTo(Torrent.State.DOWNLOADING);
            assertThat(run2.swarm().pieces().picker().have().cardinality()).as("pieces the resume check found")
                    .isEqualTo(verifiedAtStop);
            assertThat(run2.status().completedBytes()).isEqualTo(verifiedBytesAtStop);

            run2.addPeers(List.of(swarm.seederAddress()));
            assertThat(run2.awaitCompletion(Duration.ofSeconds(30))).as("second run completes").isTrue();
            assertThat(run2.status().downloaded())
                    .as("bytes fetched by the second run; %d were missing", total - verifiedBytesAtStop)
                    .isLessThanOrEqualTo(total - verifiedBytesAtStop + SLACK);
            swarm.assertSameData(swarm.dir("leecher"));
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aTorrentStoppedWhileBlocksArriveResumesAndCompletes() throws Exception {
        // No hold here: the stop cuts through socket reads, disk writes and hashing in flight.
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 2_000_000, 1_500_001);
        long total = swarm.metainfo.totalLength();
        try (swarm) {
            swarm.seeder();
            Torrent run1;
            try (SlowLink link = SlowLink.to(swarm.seederAddress(), RATE)) {
                run1 = swarm.leecher("leecher");
                run1.addPeers(List.of(link.address()));
                await().atMost(Duration.ofSeconds(30)).until(() -> run1.status().completedBytes() >= total / 2);
                run1.pause();
            }
            assertThat(run1.status().state()).as("state after pause").isEqualTo(Torrent.State.PAUSED);
            int verifiedAtStop = run1.swarm().pieces().picker().have().cardinality();
            long verifiedBytesAtStop = run1.status().completedBytes();
            swarm.sessions.get(1).close();

            Torrent run2 = swarm.leecher("leecher");
            assertThat(run2.awaitState(Set.of(Torrent.State.DOWNLOADING), Duration.ofSeconds(10))).as("checked, then downloading").isEqualTo(Torrent.State.DOWNLOADING);
            // A piece whose last block was written but not yet hashed when the stop came is found now.
            assertThat(run2.swarm().pieces().picker().have().cardinality()).as("pieces the resume check found")
                    .isBetween(verifiedAtStop, verifiedAtStop + 2);

            run2.addPeers(List.of(swarm.seederAddress()));
            assertThat(run2.awaitCompletion(Duration.ofSeconds(30))).as("second run completes").isTrue();
            assertThat(run2.status().downloaded()).isLessThanOrEqualTo(total - verifiedBytesAtStop + SLACK);
            swarm.assertSameData(swarm.dir("leecher"));
        }
        swarm.assertNoThreadLeft();
    }

    /** Waits until the torrent's verified bytes have not moved for half a second (10 s at most). */
    private static void awaitSettled(Torrent torrent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = torrent.status().completedBytes();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError("the download did not settle while the link was held");
    }
}
