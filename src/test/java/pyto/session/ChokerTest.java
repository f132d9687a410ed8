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

    private long now;
    private Choker choker;

    @BeforeEach
    void setUp() {
        now = 1_000_000;
        choker = new Choker(() -> now, new Random(1), 4);
    }

    /** An interested peer connected long ago, never unchoked, uploading to us at {@code rate}. */
    private static Choker.Candidate<String> peer(String name, double rate) {
        return new Choker.Candidate<>(name, true, false, rate, 0, -1);
    }

    private static Choker.Candidate<String> notInterested(String name, double rate) {
        return new Choker.Candidate<>(name, false, false, rate, 0, -1);
    }

    private static Choker.Candidate<String> snubbed(String name, double rate) {
        return new Choker.Candidate<>(name, true, true, rate, 0, -1);
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
        peers.add(new Choker.Candidate<>("new", true, false, 0, now - 5_000, -1));
        Map<String, Integer> picks = new HashMap<>();
        Random random = new Random(7);
        for (int trial = 0; trial < 4_000; trial++) {
            Choker fresh = new Choker(() -> now, random, 4);
            Set<String> unchoked = fresh.round(peers, false);
            unchoked.stream().filter(n -> n.equals("old") || n.equals("new")).forEach(n -> picks.merge(n, 1, Integer::sum));
        }
        double ratio = (double) picks.get("new") / picks.get("old");
        assertThat(ratio).isBetween(2.6, 3.4);
    }

    @Test
    void whileSeedingEveryInterestedPeerGetsATurn() {
        // Seven leechers, we upload to some faster than others; over a few minutes all get slots.
        Map<String, Long> unchokedSince = new HashMap<>();
        Map<String, Integer> rounds = new HashMap<>();
        for (int round = 0; round < 30; round++) {
            List<Choker.Candidate<String>> peers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String name = "leecher" + i;
                double rate = unchokedSince.containsKey(name) ? 1_000 * (7 - i) : 0;
                peers.add(new Choker.Candidate<>(name, true, false, rate, 0, unchokedSince.getOrDefault(name, -1L)));
            }
            Set<String> unchoked = choker.round(peers, true);
            for (int i = 0; i < 7; i++) {
                String name = "leecher" + i;
                if (unchoked.contains(name)) {
                    unchokedSince.putIfAbsent(name, now);
                    rounds.merge(name, 1, Integer::sum);
                } else {
                    unchokedSince.remove(name);
                }
            }
            now += 10_000;
        }
        assertThat(rounds).hasSize(7);
        assertThat(rounds.values()).allMatch(n -> n >= 8, "each got a fair share of 30 rounds");
    }

    @Test
    void withoutSlotsNobodyIsUnchoked() {
        Choker none = new Choker(() -> now, new Random(1), 0);
        assertThat(none.round(List.of(peer("a", 100), peer("b", 0)), false)).isEmpty();
        assertThat(none.hasFreeSlot(0)).isFalse();
        assertThat(choker.hasFreeSlot(4)).isTrue();
        assertThat(choker.hasFreeSlot(5)).isFalse();
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
