package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real swarms on loopback: pyto sessions trading real data, compared byte for byte. */
class SwarmIT {

    @TempDir
    Path dir;

    @Test
    void oneSeederAndFourLeechersThroughTheTracker() throws Exception {
        // 64 KiB pieces over five files of odd sizes: many pieces span two or three files
        TestSwarm swarm = TestSwarm.create(dir, 64 * 1024, true,
                1_000_003, 70_000, 2_500_001, 333, 1_800_000);
        try (swarm) {
            Torrent seeder = swarm.seeder();
            List<Torrent> leechers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                leechers.add(swarm.leecher("leecher" + i));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> leechers.stream().allMatch(t -> t.status().isComplete()));
            for (int i = 0; i < 4; i++) {
                swarm.assertSameData(swarm.dir("leecher" + i));
            }
            long leechersUploaded = leechers.stream().mapToLong(t -> t.status().uploaded()).sum();
            assertThat(leechersUploaded).as("leechers traded with each other").isGreaterThan(0);
            assertThat(seeder.status().state()).isEqualTo(Torrent.State.SEEDING);
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void withoutTrackerThroughPeerAddressesOnly() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 32 * 1024, false, 777_777, 123_456);
        try (swarm) {
            swarm.seeder();
            Session seederSession = swarm.sessions.get(0);
            Torrent leecher = swarm.leecher("leecher");
            leecher.addPeers(List.of(TestSwarm.addressOf(seederSession)));
            assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            swarm.assertSameData(swarm.dir("leecher"));
        }
        swarm.assertNoThreadLeft();
    }
}
