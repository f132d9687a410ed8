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
import pyto.peer.PeerStatus;
import pyto.wire.PeerId;

/**
 * Tit for tat, seen in a swarm: one slow seeder, ten leechers that upload (slowly: upload is
 * what is scarce), and a free-rider that never uploads. Leechers keep their regular upload
 * slots for the peers that give them most, so the free-rider finishes after the contributors
 * and gets less from the leechers than they do: only optimistic unchokes feed it.
 *
 * <p>Measured against the contributors' average: in a swarm this small some contributor is
 * often left out of every pairing and fares as badly as the free-rider, by chance.
 */
class FreeRiderIT {

    private static final long MIB = 1 << 20;
    /** Quick rounds so that the test takes seconds, not minutes; the rules are the same. */
    private static final Duration ROUND = Duration.ofMillis(500);
    /**
     * Enough contributors that each has more interested peers than upload slots (3 here):
     * with fewer, everyone, free-rider included, would get a regular slot.
     */
    private static final int CONTRIBUTORS = 10;

    @TempDir
    Path dir;

    @Test
    void theFreeRiderFinishesAfterTheContributorsAndGetsLessFromTheLeechers() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 16 * 1024, true, 3 * MIB);
        try (swarm) {
            Session seederSession = swarm.session(c -> c.withChoking(4, ROUND));
            Torrent seeder = seederSession.add(swarm.metainfo, swarm.dir("seed"));
            seeder.setLimits(new RateLimits(0, MIB / 2));

            List<Torrent> contributors = new ArrayList<>();
            for (int i = 0; i < CONTRIBUTORS; i++) {
                Torrent t = swarm.session(c -> c.withChoking(3, ROUND)).add(swarm.metainfo, swarm.dir("contributor" + i));
                t.setLimits(new RateLimits(0, 64 * 1024));
                contributors.add(t);
            }
            Torrent freeRider = swarm.session(c -> c.withChoking(0, ROUND)).add(swarm.metainfo, swarm.dir("free-rider"));

            PeerId seederId = seederSession.peerId();
            Map<Torrent, Map<PeerId, Long>> received = new HashMap<>();
            Map<Torrent, Long> finishedAt = new HashMap<>();
            Map<Torrent, Map<PeerId, Long>> lastSeen = new HashMap<>();
            List<Torrent> all = new ArrayList<>(contributors);
            all.add(freeRider);
            long start = System.nanoTime();
            while (finishedAt.size() < all.size()) {
                assertThat(System.nanoTime() - start).as("everyone finishes in time").isLessThan(Duration.ofSeconds(120).toNanos());
                for (Torrent t : all) {
                    // What each peer sent until the first contributor completed: until then every
                    // peer is a leecher trading by tit for tat; a contributor that has everything
                    // seeds to all alike.
                    Map<PeerId, Long> fromPeers = received.computeIfAbsent(t, k -> new HashMap<>());
                    Map<PeerId, Long> seen = lastSeen.computeIfAbsent(t, k -> new HashMap<>());
                    for (PeerStatus p : t.peers()) {
                        long before = seen.getOrDefault(p.peerId(), 0L);
                        long added = p.downloaded() >= before ? p.downloaded() - before : p.downloaded(); // a new connection counts from 0
                        seen.put(p.peerId(), p.downloaded());
                        if (finishedAt.isEmpty()) { // until the first one completes, every peer is a leecher
                            fromPeers.merge(p.peerId(), added, Long::sum);
                        }
                    }
                    if (t.status().isComplete()) {
                        finishedAt.putIfAbsent(t, System.nanoTime());
                    }
                }
                Thread.sleep(50);
            }

            // Chance plays its part in a swarm this small (a contributor that joins late can be
            // left out of every pairing), so the comparison is with the contributors on average.
            double meanFinish = contributors.stream().mapToLong(finishedAt::get).average().orElseThrow();
            assertThat((double) finishedAt.get(freeRider)).as("the free-rider finishes after the contributors")
                    .isGreaterThan(meanFinish);
            double meanFromLeechers = contributors.stream().mapToLong(c -> fromLeechers(received.get(c), seederId))
                    .average().orElseThrow();
            assertThat((double) fromLeechers(received.get(freeRider), seederId))
                    .as("the free-rider gets less from the leechers than the contributors do")
                    .isLessThan(meanFromLeechers);
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
