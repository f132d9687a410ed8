package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The choker on simulated time: peers are names, a round is a call. The choker measures rates
 * itself from the byte counts it is shown, so a peer "uploading at 900" is shown as having
 * sent 900 bytes for every second since it connected.
 */
class ChokerTest {

    private static final long ROUND = 10_000;

    private long now;
    private Choker choker;

    @BeforeEach
    void setUp() {
        now = 1_000_000;
        choker = new Choker(() -> now, new Random(1), 4, ROUND);
    }

    /** An interested peer connected at time 0 that has uploaded to us at {@code rate} bytes per second ever since. */
    private Choker.Candidate<String> peer(String name, double rate) {
        return new Choker.Candidate<>(name, true, false, false, sentSinceStart(rate), 0, 0);
    }

    private Choker.Candidate<String> notInterested(String name, double rate) {
        return new Choker.Candidate<>(name, false, false, false, sentSinceStart(rate), 0, 0);
    }

    private Choker.Candidate<String> snubbed(String name, double rate) {
        return new Choker.Candidate<>(name, true, true, false, sentSinceStart(rate), 0, 0);
    }

    private long sentSinceStart(double rate) {
        return (long) (rate * now / 1000);
    }

    @Test
    void theFourFastestInterestedUploadersGetRegularSlots() {
        List<Choker.Candidate<String>> peers = List.of(peer("a", 50), peer("b", 900), peer("c", 10),
                peer("d", 700), peer("e", 800), peer("f", 600), notInterested("g", 10_000));
        Set<String> unchoked = choker.round(peers, false);
        assertThat(unchoked).contains("b", "e", "d", "f").doesNotContain("g");
        assertThat(unchoked).hasSize(5); // plus one optimistic, "a" or "c"
        assertThat(unchoked).containsAnyOf("a", "c");
    }

    @Test
    void aSnubbedPeerLosesItsRegularSlot() {
        Supplier<List<Choker.Candidate<String>>> peers = () -> List.of(peer("a", 100), peer("b", 200), peer("c", 300),
                peer("d", 400), peer("e", 500), snubbed("fast-but-snubbed", 5_000));
        // b..e hold the regular slots; the snubbed peer can only be the optimistic unchoke, shared with a
        Map<String, Integer> times = countOver(peers, 30);
        assertThat(List.of("b", "c", "d", "e")).allMatch(p -> times.get(p) == 30);
        assertThat(times.getOrDefault("fast-but-snubbed", 0)).isLessThan(30);
        assertThat(times.getOrDefault("fast-but-snubbed", 0) + times.getOrDefault("a", 0)).isEqualTo(30);
    }

    @Test
    void ratesCountOverTheLastTwoRoundsOnly() {
        // "burst" sends 50 MB in one round and nothing after; "steady" sends 1 000 B/s throughout
        Choker oneSlot = new Choker(() -> now, new Random(1), 1, ROUND);
        long start = now;
        long[] burst = {0};
        Supplier<List<Choker.Candidate<String>>> peers = () -> withIdlers(List.of(
                new Choker.Candidate<>("burst", true, false, false, burst[0], 0, 0),
                new Choker.Candidate<>("steady", true, false, false, sentSinceStart(1_000), 0, 0)));
        assertThat(oneSlot.round(peers.get(), false)).contains("steady");
        List<Set<String>> unchoked = new ArrayList<>();
        for (int round = 1; round < 10; round++) {
            now = start + round * ROUND;
            burst[0] = 50_000_000;
            unchoked.add(oneSlot.round(peers.get(), false));
        }
        // the two rounds whose span holds the burst, then what each sends now ("burst" is
        // unchoked after that only when it is the optimistic unchoke)
        assertThat(unchoked.subList(0, 2)).allMatch(u -> u.contains("burst"));
        assertThat(unchoked.subList(2, 9)).allMatch(u -> u.contains("steady"));
        assertThat(unchoked.subList(2, 9)).anyMatch(u -> !u.contains("burst"));
    }

    /**
     * Six interested peers that never sent anything, then {@code peers}: the optimistic
     * unchoke mostly goes elsewhere, and a tie broken by the order of the list goes against
     * the peers under test.
     */
    private static List<Choker.Candidate<String>> withIdlers(List<Choker.Candidate<String>> peers) {
        List<Choker.Candidate<String>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(new Choker.Candidate<>("idle" + i, true, false, false, 0, 0, 0));
        }
        all.addAll(peers);
        return all;
    }

    @Test
    void betweenEqualRatesAPeerThatLetsUsDownloadComesFirst() {
        Choker twoSlots = new Choker(() -> now, new Random(1), 2, ROUND);
        Supplier<List<Choker.Candidate<String>>> peers = () -> withIdlers(List.of(
                peer("fast", 900),
                new Choker.Candidate<>("lets-us-download", true, false, true, 0, 0, 0)));
        for (int round = 0; round < 9; round++) {
            assertThat(twoSlots.round(peers.get(), false)).contains("fast", "lets-us-download");
            now += ROUND;
        }
    }

    @Test
    void betweenEqualRatesAPeerThatGaveBeforeComesFirst() {
        Choker twoSlots = new Choker(() -> now, new Random(1), 2, ROUND);
        Supplier<List<Choker.Candidate<String>>> peers = () -> withIdlers(List.of(
                peer("fast", 900),
                new Choker.Candidate<>("gave-before", true, false, false, 5_000_000, 0, 0)));
        twoSlots.round(peers.get(), false); // the first round sees the 5 MB as a rate over the connection's life
        for (int round = 0; round < 9; round++) {
            now += ROUND;
            assertThat(twoSlots.round(peers.get(), false)).contains("fast", "gave-before");
        }
    }

    @Test
    void theOptimisticUnchokeRotatesEveryThirdRound() {
        Supplier<List<Choker.Candidate<String>>> peers = () -> {
            List<Choker.Candidate<String>> list = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                list.add(peer("regular" + i, 1_000 + i));
            }
            for (int i = 0; i < 6; i++) {
                list.add(peer("waiting" + i, 0));
            }
            return list;
        };
        List<String> optimistic = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            Set<String> unchoked = choker.round(peers.get(), false);
            optimistic.add(unchoked.stream().filter(n -> n.startsWith("waiting")).findFirst().orElseThrow());
            now += ROUND;
        }
        for (int r = 0; r < 30; r += 3) {
            assertThat(optimistic.subList(r, r + 3)).as("one optimistic peer for three rounds").containsOnly(optimistic.get(r));
        }
        assertThat(Set.copyOf(optimistic)).as("the optimistic slot went round").hasSizeGreaterThan(3);
    }

    // The optimistic lottery, as often as not the second draw of a fresh choker: in the fourth
    // round, when two rounds of rate no longer include what came before the first. Four
    // regular peers upload fast; the peers compared are choked, and connected long ago unless
    // "new". "traded-before" sent us 5 MB before the first round and nothing since.

    @Test
    void newlyConnectedPeersAreThreeTimesAsLikelyToBeTheOptimisticUnchoke() {
        double ratio = secondDraws("new", "traded-before", round -> downloading(round < 3 ? List.of()
                : List.of(new Choker.Candidate<>("new", true, false, false, 0, 0, now - 5_000))), false);
        assertThat(ratio).isBetween(2.6, 3.4);
    }

    @Test
    void aPeerSendingUsDataWhileChokedIsThreeTimesAsLikelyToBeTheOptimisticUnchoke() {
        double ratio = secondDraws("reciprocating", "traded-before", round -> downloading(List.of(peer("reciprocating", 100))), false);
        assertThat(ratio).isBetween(2.6, 3.4);
    }

    @Test
    void aPeerThatNeverSentUsAnythingIsAThirdAsLikelyToBeTheOptimisticUnchoke() {
        // a free-rider, or a peer that had nothing for us: neither has shown that it trades
        double ratio = secondDraws("traded-before", "never-sent", round -> downloading(List.of(peer("never-sent", 0))), false);
        assertThat(ratio).isBetween(2.6, 3.4);
    }

    @Test
    void whileSeedingWhatPeersSentUsBeforeDoesNotCount() {
        // Four peers we have sent nothing yet hold the regular slots; the two compared have
        // had a megabyte a round from us, and one of them traded with us before we finished.
        double ratio = secondDraws("traded-before", "never-sent", round -> {
            List<Choker.Candidate<String>> peers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                peers.add(new Choker.Candidate<>("unserved" + i, true, false, false, 0, 0, 0));
            }
            peers.add(new Choker.Candidate<>("traded-before", true, false, false, 5_000_000, 1_000_000L * round, 0));
            peers.add(new Choker.Candidate<>("never-sent", true, false, false, 0, 1_000_000L * round, 0));
            return peers;
        }, true);
        assertThat(ratio).isBetween(0.8, 1.25);
    }

    /** Four fast regular peers, "traded-before", and {@code others}, as a downloading choker sees them now. */
    private List<Choker.Candidate<String>> downloading(List<Choker.Candidate<String>> others) {
        List<Choker.Candidate<String>> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(peer("regular" + i, 1_000));
        }
        peers.add(new Choker.Candidate<>("traded-before", true, false, false, 5_000_000, 0, 0));
        peers.addAll(others);
        return peers;
    }

    /** How many times more often {@code a} than {@code b} is unchoked in the fourth round of a fresh choker, over many trials. */
    private double secondDraws(String a, String b, java.util.function.IntFunction<List<Choker.Candidate<String>>> peersInRound,
                               boolean seeding) {
        Map<String, Integer> picks = new HashMap<>();
        Random random = new Random(7);
        long start = now;
        for (int trial = 0; trial < 4_000; trial++) {
            Choker fresh = new Choker(() -> now, random, 4, ROUND);
            Set<String> unchoked = Set.of();
            for (int round = 0; round < 4; round++) {
                now = start + round * ROUND;
                unchoked = fresh.round(peersInRound.apply(round), seeding);
            }
            unchoked.stream().filter(n -> n.equals(a) || n.equals(b)).forEach(n -> picks.merge(n, 1, Integer::sum));
        }
        now = start;
        return (double) picks.get(a) / picks.get(b);
    }

    @Test
    void whileSeedingTheSlotsRotateSoEveryPeerGetsAnEvenShare() {
        // Seven leechers, some able to take far more than others; a round sends 10 s of our
        // upload, split among those unchoked by what each can take.
        Map<String, Long> sent = new HashMap<>();
        double[] appetite = {8, 4, 2, 1, 1, 1, 1};
        for (int round = 0; round < 60; round++) {
            Set<String> unchoked = choker.round(leechers(7, sent), true);
            share(unchoked, appetite, sent);
            now += ROUND;
        }
        assertThat(sent).hasSize(7);
        double mean = sent.values().stream().mapToLong(Long::longValue).average().orElseThrow();
        // (had the peers we upload to fastest kept their slots, leecher0 would take 8 times the others' share)
        assertThat(sent.get("leecher0")).as("the hungriest peer cannot take the seeder's upload").isLessThan((long) (2 * mean));
        assertThat(sent.values()).as("nobody goes without").allMatch(n -> n > mean / 2);
    }

    @Test
    void aNewSeederSharesEvenlyFromNowOnAndDoesNotPayBackWhomItChoked() {
        // While downloading we traded with leecher0..2 and choked leecher3, which gave us
        // nothing. Counting what each got before, leecher3 would be first in line until it had
        // had as much as the others got in trade; counting from now, all start level.
        Map<String, Long> sent = new HashMap<>(Map.of("leecher0", 5_000_000L, "leecher1", 5_000_000L,
                "leecher2", 5_000_000L, "leecher3", 0L));
        double[] appetite = {1, 1, 1, 1};
        Choker twoSlots = new Choker(() -> now, new Random(1), 2, ROUND);
        Map<String, Long> before = Map.copyOf(sent);
        for (int round = 0; round < 12; round++) {
            Set<String> unchoked = twoSlots.round(leechers(4, sent), true);
            share(unchoked, appetite, sent);
            now += ROUND;
        }
        Map<String, Long> asSeeder = new HashMap<>();
        sent.forEach((name, total) -> asSeeder.put(name, total - before.get(name)));
        double mean = asSeeder.values().stream().mapToLong(Long::longValue).average().orElseThrow();
        // (counting from before, leecher3 would have had a third of every round: 4 MB of 12)
        assertThat(asSeeder.get("leecher3")).as("the peer we choked is not paid back").isLessThan((long) (1.15 * mean));
        assertThat(asSeeder.values()).as("everyone gets turns").allMatch(n -> n > mean / 2);
    }

    /** Interested peers leecher0..n-1, connected at time 0, that have been sent {@code sent}; none uploads to us. */
    private static List<Choker.Candidate<String>> leechers(int n, Map<String, Long> sent) {
        List<Choker.Candidate<String>> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "leecher" + i;
            peers.add(new Choker.Candidate<>(name, true, false, false, 0, sent.getOrDefault(name, 0L), 0));
        }
        return peers;
    }

    /** One round's upload (1 MB) split among the unchoked peers by what each can take. */
    private static void share(Set<String> unchoked, double[] appetite, Map<String, Long> sent) {
        double appetites = unchoked.stream().mapToDouble(n -> appetite[n.charAt(7) - '0']).sum();
        for (String name : unchoked) {
            sent.merge(name, (long) (1_000_000 * appetite[name.charAt(7) - '0'] / appetites), Long::sum);
        }
    }

    @Test
    void withoutSlotsNobodyIsUnchoked() {
        Choker none = new Choker(() -> now, new Random(1), 0, ROUND);
        assertThat(none.round(List.of(peer("a", 100), peer("b", 0)), false)).isEmpty();
        assertThat(none.hasFreeSlot(0)).isFalse();
        assertThat(choker.hasFreeSlot(3)).isTrue();
        assertThat(choker.hasFreeSlot(4)).isFalse();
    }

    private Map<String, Integer> countOver(Supplier<List<Choker.Candidate<String>>> peers, int rounds) {
        Map<String, Integer> times = new HashMap<>();
        for (int i = 0; i < rounds; i++) {
            choker.round(peers.get(), false).forEach(n -> times.merge(n, 1, Integer::sum));
            now += ROUND;
        }
        return times;
    }
}
