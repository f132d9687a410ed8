package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.wire.PeerId;

/**
 * Tit for tat, seen in a swarm: one slow seeder, six leechers that upload, and a free-rider
 * that never uploads. Leechers keep their upload slots for the peers that give them most, so
 * the contributors finish first and the free-rider gets less from the leechers than any of
 * them: only the optimistic unchokes feed it.
 */
class FreeRiderIT {

    private static final long MIB = 1 << 20;
    /** Quick rounds so that the test takes seconds, not minutes; the rules are the same. */
    private static final Duration ROUND = Duration.ofMillis(500);
    /**
     * Enough contributors that each has more interested peers than upload slots (2 here):
     * with fewer, everyone, free-rider included, would get a regular slot.
     */
    private static final int CONTRIBUTORS = 6;

    @TempDir
    Path dir;

    @Test
    void contributorsFinishFirstAndTheFreeRiderGetsLeastFromLeechers() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 32 * 1024, true, 6 * MIB);
        try (swarm) {
            Session seederSession = swarm.session(c -> c.withChoking(4, ROUND));
            Torrent seeder = seederSession.add(swarm.metainfo, swarm.dir("seed"));
            seeder.setLimits(new RateLimits(0, MIB));

            List<Torrent> contributors = new ArrayList<>();
            for (int i = 0; i < CONTRIBUTORS; i++) {
                Torrent t = swarm.session(c -> c.withChoking(2, ROUND)).add(swarm.metainfo, swarm.dir("contributor" + i));
                t.setLimits(new RateLimits(0, 512 * 1024));
                contributors.add(t);
            }
            Torrent freeRider = swarm.session(c -> c.withChoking(0, ROUND)).add(swarm.metainfo, swarm.dir("free-rider"));

            PeerId seederId = seederSession.peerId();
            Map<Torrent, Map<PeerId, Long>> received = new HashMap<>();
            Map<Torrent, Long> finishedAt = new HashMap<>();
            List<Torrent> all = new ArrayList<>(contributors);
            all.add(freeRider);
            long start = System.nanoTime();
            while (finishedAt.size() < all.size()) {
                assertThat(System.nanoTime() - start).as("everyone finishes in time").isLessThan(Duration.ofSeconds(120).toNanos());
                for (Torrent t : all) {
                    // bytes per connection vanish when a connection ends: keep the most seen of each peer
                    Map<PeerId, Long> fromPeers = received.computeIfAbsent(t, k -> new HashMap<>());
                    t.peers().forEach(p -> fromPeers.merge(p.peerId(), p.downloaded(), Math::max));
                    if (t.status().isComplete()) {
                        finishedAt.putIfAbsent(t, System.nanoTime());
                    }
                }
                Thread.sleep(50);
            }

            long lastContributor = contributors.stream().mapToLong(finishedAt::get).max().orElseThrow();
            assertThat(finishedAt.get(freeRider)).as("the free-rider finishes after every contributor").isGreaterThan(lastContributor);
            long freeRiderFromLeechers = fromLeechers(received.get(freeRider), seederId);
            for (Torrent c : contributors) {
                assertThat(fromLeechers(received.get(c), seederId)).as("a contributor got more from leechers than the free-rider")
                        .isGreaterThan(freeRiderFromLeechers);
            }
            assertThat(freeRider.status().uploaded()).as("the free-rider uploaded nothing").isZero();
            for (int i = 0; i < CONTRIBUTORS; i++) {
                swarm.assertSameData(swarm.dir("contributor" + i));
            }
            swarm.assertSameData(swarm.dir("free-rider"));
        }
        swarm.assertNoThreadLeft();
    }

    private static long fromLeechers(Map<PeerId, Long> fromPeers, PeerId seeder) {
        return fromPeers.entrySet().stream().filter(e -> !e.getKey().equals(seeder)).mapToLong(Map.Entry::getValue).sum();
    }
}
