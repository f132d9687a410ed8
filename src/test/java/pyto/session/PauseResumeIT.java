package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.tracker.Trackers;

/**
 * Several torrents in one session, controlled through the session's API: one is paused
 * (its peers closed, its tracker told {@code stopped}) while the other keeps downloading,
 * then resumed without checking again what it had verified; both end byte for byte right.
 */
class PauseResumeIT {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void pauseOneTorrentWhileAnotherKeepsDownloadingThenResume() throws Exception {
        TestSwarm a = TestSwarm.create(dir.resolve("a"), 64 * 1024, true, 6 * MIB, 1_000_001);
        TestSwarm b = TestSwarm.create(dir.resolve("b"), 64 * 1024, true, 5 * MIB);
        try (a; b; Session client = TestSwarm.loopbackSession()) {
            // slow seeders, so that the downloads take long enough to pause one half-way
            a.seeder().setLimits(new RateLimits(0, 2 * MIB));
            b.seeder().setLimits(new RateLimits(0, MIB));
            // both payloads are called "payload": each goes in a directory of its own
            Torrent ta = client.add(a.metainfo, dir.resolve("client-a"));
            Torrent tb = client.add(b.metainfo, dir.resolve("client-b"));

            await().atMost(Duration.ofSeconds(20)).until(() -> ta.status().completedBytes() > a.metainfo.totalLength() / 4);
            client.pause(a.metainfo.infoHash());
            TorrentStatus paused = ta.status();
            assertThat(paused.state()).isEqualTo(Torrent.State.PAUSED);
            assertThat(paused.peers()).isZero();
            assertThat(paused.isComplete()).isFalse();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Trackers.forUrl(a.tracker.announceUrl()).orElseThrow()
                            .scrape(a.metainfo.infoHash()).incomplete()).as("the tracker heard 'stopped'").isZero());

            long bBefore = tb.status().completedBytes();
            Thread.sleep(1_500);
            assertThat(tb.status().completedBytes()).as("the other torrent goes on").isGreaterThan(bBefore);
            assertThat(ta.status().completedBytes()).as("the paused one does not").isEqualTo(paused.completedBytes());

            client.resume(a.metainfo.infoHash());
            assertThat(ta.status().state()).as("no check again after a pause").isNotEqualTo(Torrent.State.CHECKING);
            assertThat(ta.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            assertThat(tb.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            a.assertSameData(dir.resolve("client-a"));
            b.assertSameData(dir.resolve("client-b"));
            long missingAtPause = a.metainfo.totalLength() - paused.completedBytes();
            long downloadedAfter = ta.status().downloaded() - paused.downloaded();
            assertThat(downloadedAfter).as("only what was missing is fetched again (plus a few blocks in flight)")
                    .isLessThanOrEqualTo(missingAtPause + 16 * 16 * 1024);
            assertThat(client.status()).extracting(TorrentStatus::name).hasSize(2);
            assertThat(List.of(ta.status().state(), tb.status().state())).containsOnly(Torrent.State.SEEDING);
        }
        a.assertNoThreadLeft();
    }
}
