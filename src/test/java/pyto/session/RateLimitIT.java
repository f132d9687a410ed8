package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits hold on loopback, where nothing else would slow the transfer: measured over
 * 10 s, the rate is within 10% of the limit, and a limit changed while running takes effect.
 */
class RateLimitIT {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aDownloadLimitHoldsAndCanBeRaisedWhileRunning() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 64 * 1024, false, 40 * MIB);
        try (swarm) {
            swarm.seeder();
            Session leecherSession = swarm.session();
            leecherSession.setLimits(new RateLimits(MIB, 0));
            Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));
            leecher.addPeers(List.of(TestSwarm.addressOf(swarm.sessions.get(0))));

            Thread.sleep(1_500); // connected, and past the first burst
            double rate = measure(() -> leecher.status().downloaded(), Duration.ofSeconds(10));
            assertThat(rate).as("download rate under a 1 MiB/s limit").isBetween(0.9 * MIB, 1.1 * MIB);

            leecherSession.setLimits(new RateLimits(2 * MIB, 0));
            Thread.sleep(1_000);
            double raised = measure(() -> leecher.status().downloaded(), Duration.ofSeconds(5));
            assertThat(raised).as("after raising the limit to 2 MiB/s").isBetween(1.8 * MIB, 2.2 * MIB);
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void anUploadLimitOnOneTorrentHolds() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 64 * 1024, false, 40 * MIB);
        try (swarm) {
            Torrent seeder = swarm.seeder();
            seeder.setLimits(new RateLimits(0, MIB));
            Torrent leecher = swarm.leecher("leecher");
            leecher.addPeers(List.of(TestSwarm.addressOf(swarm.sessions.get(0))));

            Thread.sleep(1_500);
            double rate = measure(() -> seeder.status().uploaded(), Duration.ofSeconds(10));
            assertThat(rate).as("upload rate under a 1 MiB/s limit").isBetween(0.9 * MIB, 1.1 * MIB);
        }
        swarm.assertNoThreadLeft();
    }

    /** Bytes per second of a growing counter over {@code window}. */
    private static double measure(java.util.function.LongSupplier counter, Duration window) throws InterruptedException {
        long before = counter.getAsLong();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long bytes = counter.getAsLong() - before;
        return bytes / ((System.nanoTime() - start) / 1e9);
    }
}
