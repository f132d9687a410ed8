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
 * Tit for tat, seen in a swarm (BEP 3 choking, as {@link Choker} decides it): one seeder, ten
 * leechers that upload ("contributors") and a free-rider that never uploads. Every contributor
 * finishes before the free-rider, and the free-rider gets less from the leechers than any
 * contributor does: leechers keep their regular slots for the peers that give them most, and
 * give the optimistic slot mostly to newcomers and to peers that give back.
 *
 * <p>The swarm, and why it is a fair test:
 * <ul>
 *   <li>Ten contributors with three regular slots each: every contributor has more interested
 *       peers than slots, so it has to choose (with fewer, everyone, free-rider included,
 *       would get a regular slot).</li>
 *   <li>Upload is what is scarce, as in real swarms (downloads are unlimited), and most of it
 *       is the leechers': ten times 256 KiB/s against the seeder's 512 KiB/s. Tit for tat
 *       governs the data that moves between leechers; the seeder shares alike with everyone,
 *       free-rider included, since nothing tells it who passes data on. With a seeder as fast
 *       as all the leechers together (as this test once had it), its equal shares drowned out
 *       what the test is about.</li>
 *   <li>Quarter-second rounds, so that a download of about 20 s spans some 80 rounds: the
 *       choker counts all its spans in rounds (20 s of rate is two, the optimistic unchoke
 *       lasts three, a peer is new for six), and a real download spans hundreds of 10 s
 *       rounds. With few rounds the first minute, when every peer is new and favoured, would
 *       be most of the test.</li>
 *   <li>6 MiB in 16 KiB pieces: enough for the trading to settle, small enough for about
 *       25 s in all.</li>
 * </ul>
 *
 * <p>"From the leechers" counts what each peer received from the other leechers while every
 * peer was still a leecher, that is until the first contributor completes. After that the
 * finished ones seed, sharing alike with all, and a leecher with fewer interested peers than
 * slots unchokes whoever asks: neither says anything about tit for tat. In the end the
 * free-rider does get everything, from the seeds; it just comes last.
 */
class FreeRiderIT {

    private static final long MIB = 1 << 20;
    private static final Duration ROUND = Duration.ofMillis(250);
    private static final int CONTRIBUTORS = 10;
    private static final int CONTRIBUTOR_SLOTS = 3;
    private static final long CONTRIBUTOR_UPLOAD = 256 * 1024;
    private static final long SEEDER_UPLOAD = 512 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyContributorFinishesBeforeTheFreeRiderWhichGetsLeastFromTheLeechers() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 16 * 1024, true, 6 * MIB);
        try (swarm) {
            Session seederSession = swarm.session(c -> c.withChoking(Choker.REGULAR_SLOTS, ROUND));
            Torrent seeder = seederSession.add(swarm.metainfo, swarm.dir("seed"));
            seeder.setLimits(new RateLimits(0, SEEDER_UPLOAD));

            Map<Torrent, String> names = new HashMap<>();
            List<Torrent> contributors = new ArrayList<>();
            for (int i = 0; i < CONTRIBUTORS; i++) {
                Torrent t = swarm.session(c -> c.withChoking(CONTRIBUTOR_SLOTS, ROUND))
                        .add(swarm.metainfo, swarm.dir("contributor" + i));
                t.setLimits(new RateLimits(0, CONTRIBUTOR_UPLOAD));
                contributors.add(t);
                names.put(t, "contributor" + i);
            }
            Torrent freeRider = swarm.session(c -> c.withChoking(0, ROUND)).add(swarm.metainfo, swarm.dir("free-rider"));
            names.put(freeRider, "free-rider");

            PeerId seederId = seederSession.peerId();
            Map<Torrent, Map<PeerId, Long>> received = new HashMap<>();
            Map<Torrent, Map<PeerId, Long>> lastSeen = new HashMap<>();
            Map<Torrent, Long> finishedAt = new HashMap<>();
            List<Torrent> all = new ArrayList<>(contributors);
            all.add(freeRider);
            long start = System.nanoTime();
            while (finishedAt.size() < all.size()) {
                assertThat(System.nanoTime() - start).as("everyone finishes in time").isLessThan(Duration.ofSeconds(120).toNanos());
                boolean allLeechers = finishedAt.isEmpty();
                for (Torrent t : all) {
                    Map<PeerId, Long> fromPeers = received.computeIfAbsent(t, k -> new HashMap<>());
                    Map<PeerId, Long> seen = lastSeen.computeIfAbsent(t, k -> new HashMap<>());
                    for (PeerStatus p : t.peers()) {
                        long before = seen.getOrDefault(p.peerId(), 0L);
                        long added = p.downloaded() >= before ? p.downloaded() - before : p.downloaded(); // a new connection counts from 0
                        seen.put(p.peerId(), p.downloaded());
                        if (allLeechers) {
                            fromPeers.merge(p.peerId(), added, Long::sum);
                        }
                    }
                    if (t.status().isComplete()) {
                        finishedAt.putIfAbsent(t, System.nanoTime() - start);
                    }
                }
                Thread.sleep(50);
            }

            String table = table(all, names, finishedAt, received, seederId);
            long lastContributor = contributors.stream().mapToLong(finishedAt::get).max().orElseThrow();
            assertThat(finishedAt.get(freeRider)).as("the free-rider finishes after every contributor%n%s", table)
                    .isGreaterThan(lastContributor);
            long leastToAContributor = contributors.stream().mapToLong(c -> fromLeechers(received.get(c), seederId)).min().orElseThrow();
            assertThat(fromLeechers(received.get(freeRider), seederId))
                    .as("the free-rider gets less from the leechers than any contributor%n%s", table)
                    .isLessThan(leastToAContributor);
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

    /** Who finished when and got how much from whom: what a failure needs to be understood. */
    private static String table(List<Torrent> all, Map<Torrent, String> names, Map<Torrent, Long> finishedAt,
                                Map<Torrent, Map<PeerId, Long>> received, PeerId seeder) {
        StringBuilder s = new StringBuilder("peer           finished  from leechers  from the seeder (until the first finished)\n");
        for (Torrent t : all) {
            s.append(String.format("%-13s %8.2fs %10d KiB %12d KiB%n", names.get(t), finishedAt.get(t) / 1e9,
                    fromLeechers(received.get(t), seeder) / 1024, received.get(t).getOrDefault(seeder, 0L) / 1024));
        }
        return s.toString();
    }
}
