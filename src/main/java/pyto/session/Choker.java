package pyto.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides which peers may download from us (BEP 3, "choking"; the reference client's
 * algorithm). Uploading to everyone at once would be slow for all, so a few peers get our
 * upload at a time, chosen by what they give back: tit for tat.
 *
 * <ul>
 *   <li>Every round (10 s), the {@value #REGULAR_SLOTS} interested peers that upload to us
 *       fastest are unchoked; between equal rates, one that has given us data before goes
 *       first.</li>
 *   <li>While seeding nobody uploads to us, so the slots rotate instead: the interested peers
 *       we have sent least go first (the fastest of them between equals). Every interested
 *       peer gets its turn, and the hungriest downloader cannot take our whole upload, as it
 *       would if the peers we upload to fastest kept their slots (libtorrent's default seeding
 *       choker is a round robin for the same reason).</li>
 *   <li>A peer that owes us blocks and has sent nothing for a minute is snubbed: it loses its
 *       regular slot.</li>
 *   <li>One more peer is unchoked optimistically, whatever it gives, and rotated every third
 *       round (30 s): it is how a newcomer with nothing to trade gets started, and how we
 *       find peers better than our current ones. Newly connected peers are three times as
 *       likely to get it.</li>
 * </ul>
 *
 * <p>With no slots at all the torrent never uploads: a leech-only client, or a free-rider in
 * the tests that show why tit for tat works.
 *
 * <p>Pure decisions on snapshots, with the time given by a clock: no threads, no sockets, so
 * tests drive it on simulated time. The torrent's choker task calls {@link #round} and
 * applies the answer.
 */
final class Choker {

    static final int REGULAR_SLOTS = 4;
    static final int OPTIMISTIC_EVERY_ROUNDS = 3;
    /** A peer connected less than this many rounds ago (a minute) counts as new for the optimistic unchoke. */
    static final int NEW_PEER_ROUNDS = 6;

    /**
     * What the choker sees of one peer.
     *
     * @param rate   bytes per second it uploads to us (downloading) or we upload to it (seeding)
     * @param given  bytes it has sent us so far: breaks ties between equal rates, so a peer
     *               that has given before ranks above one that never gave
     * @param taken  bytes we have sent it so far: while seeding, the least served go first
     */
    record Candidate<K>(K key, boolean interested, boolean snubbed, double rate, long given, long taken,
                        long connectedAtMillis) {
    }

    private final LongSupplier clockMillis;
    private final Random random;
    private final int slots;
    private final long roundMillis;
    private int round;
    private Object optimistic;

    /**
     * @param roundMillis how often {@link #round} is called (10 s normally); the spans the
     *     rules speak of (a minute) are counted in rounds, so a test with quick rounds keeps them
     */
    Choker(LongSupplier clockMillis, Random random, int slots, long roundMillis) {
        this.clockMillis = clockMillis;
        this.random = random;
        this.slots = slots;
        this.roundMillis = roundMillis;
    }

    /** One choking round: the peers to unchoke; every other peer is choked. */
    <K> Set<K> round(List<Candidate<K>> peers, boolean seeding) {
        if (slots == 0) {
            return Set.of(); // uploading is off
        }
        long now = clockMillis.getAsLong();
        List<Candidate<K>> interested = peers.stream().filter(Candidate::interested).toList();

        List<Candidate<K>> ranked = new ArrayList<>(interested.stream().filter(c -> !c.snubbed()).toList());
        Comparator<Candidate<K>> fastestFirst = Comparator.comparingDouble(Candidate<K>::rate).reversed()
                .thenComparing(Comparator.comparingLong(Candidate<K>::given).reversed());
        if (seeding) {
            ranked.sort(Comparator.comparingLong(Candidate<K>::taken).thenComparing(fastestFirst));
        } else {
            ranked.sort(fastestFirst);
        }
        Set<K> unchoke = new HashSet<>();
        for (int i = 0; i < Math.min(slots, ranked.size()); i++) {
            unchoke.add(ranked.get(i).key());
        }

        boolean rotate = round++ % OPTIMISTIC_EVERY_ROUNDS == 0
                || interested.stream().noneMatch(c -> c.key().equals(optimistic));
        if (rotate) {
            optimistic = pickOptimistic(interested, unchoke, now);
        }
        if (optimistic != null) {
            @SuppressWarnings("unchecked") K k = (K) optimistic;
            unchoke.add(k);
        }
        return unchoke;
    }

    /** A random interested peer that is not already unchoked; new peers weigh three times as much. */
    private <K> K pickOptimistic(List<Candidate<K>> interested, Set<K> unchoked, long now) {
        List<Candidate<K>> choked = interested.stream().filter(c -> !unchoked.contains(c.key())).toList();
        int total = 0;
        for (Candidate<K> c : choked) {
            total += weight(c, now);
        }
        if (total == 0) {
            return null;
        }
        int ticket = random.nextInt(total);
        for (Candidate<K> c : choked) {
            ticket -= weight(c, now);
            if (ticket < 0) {
                return c.key();
            }
        }
        throw new AssertionError("unreachable: tickets add up");
    }

    private int weight(Candidate<?> c, long now) {
        return now - c.connectedAtMillis() < NEW_PEER_ROUNDS * roundMillis ? 3 : 1;
    }


    /**
     * Whether a regular slot is free now, so a newly interested peer can be unchoked at once
     * rather than at the next round. Only while fewer peers than the regular slots are
     * unchoked: the optimistic slot is the round's to give.
     */
    boolean hasFreeSlot(int unchokedNow) {
        return unchokedNow < slots;
    }
}
