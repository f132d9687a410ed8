package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The choker on simulated time: peers are names, rates are numbers, a round is a call. */
class ChokerTest {

    private static final long ROUND = 10_000;

    private long now;
    private Choker choker;

    @BeforeEach
    void setUp() {
        now = 1_000_000;
        choker = new Choker(() -> now, new Random(1), 4, ROUND);
    }

    /** An interested peer connected long ago, never unchoked, uploading to us at {@code rate}. */
    private static Choker.Candidate<String> peer(String name, double rate) {
        return new Choker.Candidate<>(name, true, false, rate, 0, 0, 0);
    }

    private static Choker.Candidate<String> notInterested(String name, double rate) {
        return new Choker.Candidate<>(name, false, false, rate, 0, 0, 0);
    }

    private static Choker.Candidate<String> snubbed(String name, double rate) {
        return new Choker.Candidate<>(name, true, true, rate, 0, 0, 0);
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
        List<Choker.Candidate<String>> peers = List.of(peer("a", 100), peer("b", 200), peer("c", 300),
                peer("d", 400), peer("e", 500), snubbed("fast-but-snubbed", 5_000));
        // b..e hold the regular slots; the snubbed peer can only be the optimistic unchoke, shared with a
        Map<String, Integer> times = countOver(peers, 30);
        assertThat(List.of("b", "c", "d", "e")).allMatch(p -> times.get(p) == 30);
        assertThat(times.getOrDefault("fast-but-snubbed", 0)).isLessThan(30);
        assertThat(times.getOrDefault("fast-but-snubbed", 0) + times.getOrDefault("a", 0)).isEqualTo(30);
    }

    @Test
    void theOptimisticUnchokeRotatesEveryThirdRound() {
        List<Choker.Candidate<String>> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(peer("regular" + i, 1_000 + i));
        }
        for (int i = 0; i < 6; i++) {
            peers.add(peer("waiting" + i, 0));
        }
        List<String> optimistic = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            Set<String> unchoked = choker.round(peers, false);
            optimistic.add(unchoked.stream().filter(n -> n.startsWith("waiting")).findFirst().orElseThrow());
            now += 10_000;
        }
        for (int r = 0; r < 30; r += 3) {
            assertThat(optimistic.subList(r, r + 3)).as("one optimistic peer for three rounds").containsOnly(optimistic.get(r));
        }
        assertThat(Set.copyOf(optimistic)).as("the optimistic slot went round").hasSizeGreaterThan(3);
    }

    @Test
    void newlyConnectedPeersAreThreeTimesAsLikelyToBeTheOptimisticUnchoke() {
        List<Choker.Candidate<String>> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(peer("regular" + i, 1_000));
        }
        peers.add(peer("old", 0));
        peers.add(new Choker.Candidate<>("new", true, false, 0, 0, 0, now - 5_000));
        Map<String, Integer> picks = new HashMap<>();
        Random random = new Random(7);
        for (int trial = 0; trial < 4_000; trial++) {
            Choker fresh = new Choker(() -> now, random, 4, ROUND);
            Set<String> unchoked = fresh.round(peers, false);
            unchoked.stream().filter(n -> n.equals("old") || n.equals("new")).forEach(n -> picks.merge(n, 1, Integer::sum));
        }
        double ratio = (double) picks.get("new") / picks.get("old");
        assertThat(ratio).isBetween(2.6, 3.4);
    }

    @Test
    void whileSeedingTheSlotsRotateSoEveryPeerGetsAnEvenShare() {
        // Seven leechers, some able to take far more than others; a round sends 10 s of our
        // upload, split among those unchoked by what each can take.
        Map<String, Long> sent = new HashMap<>();
        double[] appetite = {8, 4, 2, 1, 1, 1, 1};
        for (int round = 0; round < 60; round++) {
            List<Choker.Candidate<String>> peers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String name = "leecher" + i;
                peers.add(new Choker.Candidate<>(name, true, false, 0, 0, sent.getOrDefault(name, 0L), 0));
            }
            Set<String> unchoked = choker.round(peers, true);
            double appetites = unchoked.stream().mapToDouble(n -> appetite[n.charAt(7) - '0']).sum();
            for (String name : unchoked) {
                sent.merge(name, (long) (1_000_000 * appetite[name.charAt(7) - '0'] / appetites), Long::sum);
            }
            now += 10_000;
        }
        assertThat(sent).hasSize(7);
        double mean = sent.values().stream().mapToLong(Long::longValue).average().orElseThrow();
        // (had the peers we upload to fastest kept their slots, leecher0 would take 8 times the others' share)
        assertThat(sent.get("leecher0")).as("the hungriest peer cannot take the seeder's upload").isLessThan((long) (2 * mean));
        assertThat(sent.values()).as("nobody goes without").allMatch(n -> n > mean / 2);
    }

    @Test
    void betweenEqualRatesAPeerThatGaveBeforeComesFirst() {
        List<Choker.Candidate<String>> peers = List.of(
                new Choker.Candidate<>("never-gave", true, false, 0, 0, 0, 0),
                new Choker.Candidate<>("gave-before", true, false, 0, 5_000_000, 0, 0),
                peer("fast", 900));
        Choker oneSlot = new Choker(() -> now, new Random(1), 2, ROUND);
        for (int round = 0; round < 9; round++) {
            assertThat(oneSlot.round(peers, false)).contains("fast", "gave-before");
            now += 10_000;
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

    private Map<String, Integer> countOver(List<Choker.Candidate<String>> peers, int rounds) {
        Map<String, Integer> times = new HashMap<>();
        for (int i = 0; i < rounds; i++) {
            choker.round(peers, false).forEach(n -> times.merge(n, 1, Integer::sum));
            now += 10_000;
        }
        return times;
    }
}
