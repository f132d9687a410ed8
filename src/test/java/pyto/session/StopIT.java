package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.concurrent.Scope;

/**
 * No thread outlives its torrent: a torrent removed from its session in the middle of a
 * download takes every thread it started with it (and the seeder's threads for that peer end
 * too), while the rest of the swarm carries on.
 */
class StopIT {

    static final int PIECE = 32 * 1024;

    @TempDir
    Path dir;

    @Test
    void removingATorrentMidDownloadEndsItsThreadsAndLeavesTheSeederServing() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 2_000_000, 1_500_001);
        try (swarm) {
            swarm.seeder();
            Session leecherSession = swarm.session();
            // The seeder idle and the leecher's session listening: nothing else runs.
            int withoutTheTorrent = steadyThreadCount();

            try (SlowLink link = SlowLink.to(swarm.seederAddress(), 2L << 20)) {
                Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));
                leecher.addPeers(List.of(link.address()));
                await().atMost(Duration.ofSeconds(10)).until(() -> leecher.status().completedBytes() > 0);
                assertThat(Scope.liveThreads()).as("threads while downloading").isGreaterThan(withoutTheTorrent);

                leecherSession.remove(leecher.infoHash());
                assertThat(leecher.state()).isEqualTo(Torrent.State.STOPPED);
                assertThat(leecher.status().isComplete()).as("stopped mid-download").isFalse();
                assertThat(leecherSession.torrents()).isEmpty();
                // The leecher's own threads are gone when remove returns; the seeder's reader and
                // writer for it end as soon as they see the connection closed.
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(Scope.liveThreads()).as("live threads").isEqualTo(withoutTheTorrent));
            }

            // The seeder lost a peer in the middle of uploading to it: it still serves the next one.
            Torrent next = swarm.leecher("next");
            next.addPeers(List.of(swarm.seederAddress()));
            assertThat(next.awaitCompletion(Duration.ofSeconds(30))).as("next leecher complete").isTrue();
            swarm.assertSameData(swarm.dir("next"));
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aStoppedTorrentStartsAgainInItsSessionAndCompletes() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 2_000_000, 1_500_001);
        try (swarm) {
            swarm.seeder();
            Session leecherSession = swarm.session();
            int withoutTheTorrent = steadyThreadCount();
            Torrent leecher;
            try (SlowLink link = SlowLink.to(swarm.seederAddress(), 2L << 20)) {
                leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));
                leecher.addPeers(List.of(link.address()));
                await().atMost(Duration.ofSeconds(10)).until(() -> leecher.status().completedBytes() > 0);
                leecher.pause();
                long verified = leecher.status().completedBytes();
                assertThat(verified).as("stopped mid-download").isLessThan(swarm.metainfo.totalLength());
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(Scope.liveThreads()).as("live threads").isEqualTo(withoutTheTorrent));
            }

            leecher.resume(); // no second check: the pieces verified in the first run are kept
            leecher.addPeers(List.of(swarm.seederAddress()));
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).as("complete after restart").isTrue();
            swarm.assertSameData(swarm.dir("leecher"));
        }
        swarm.assertNoThreadLeft();
    }

    /**
     * The live thread count once it has stopped moving: a seeder reports SEEDING a moment
     * before its choker and announcers are forked.
     */
    private static int steadyThreadCount() throws InterruptedException {
        int last = Scope.liveThreads();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(100);
            int now = Scope.liveThreads();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the number of live threads does not settle");
    }
}
