package pyto.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 *       fastest over the last {@value #RATE_ROUNDS} rounds (20 s) are unchoked. Between equal
 *       rates, a peer that lets us download from it goes first, then one that has given us
 *       more before: reciprocation starts with whoever offers it.</li>
 *   <li>While seeding nobody uploads to us, so the slots rotate instead: the interested peers
 *       we have sent least since we began seeding go first (the fastest of them between
 *       equals). Every interested peer gets its turn, and the hungriest downloader cannot
 *       take our whole upload, as it would if the peers we upload to fastest kept their slots
 *       (libtorrent's default seeding choker is a round robin for the same reason). Only what
 *       we sent as a seeder counts: a peer we choked while downloading, because it gave us
 *       nothing, is not paid back for it now.</li>
 *   <li>A peer that owes us blocks and has sent nothing for a minute is snubbed: it loses its
 *       regular slot.</li>
 *   <li>One more peer is unchoked optimistically, whatever it gives, and rotated every third
 *       round (30 s): it is how a newcomer with nothing to trade gets started, and how we
 *       find peers better than our current ones. It is drawn by lot, and newly connected
 *       peers hold three times as many tickets as the others. So does a peer that is sending
 *       us data although we choke it: it keeps its side of a trade that we do not, and is the
 *       one our choke costs most (old libtorrent gave the optimistic slot to the choked peer
 *       that sent fastest). A peer connected for a minute that has never sent us anything
 *       holds a third as many: a free-rider, or a peer with nothing for us, either way not
 *       the trading partner the slot is there to find. It still gets its turn now and
 *       then.</li>
 * </ul>
 *
 * <p>With no slots at all the torrent never uploads: a leech-only client, or a free-rider in
 * the tests that show why tit for tat works.
 *
 * <p>Decisions on snapshots, with the time given by a clock: no threads, no sockets, so tests
 * drive it on simulated time. Rates come from the byte counts it is shown each round, so they
 * too count in rounds. Not thread-safe: {@link UploadSlots} calls it under its lock, from the
 * torrent's choker thread and from peer threads.
 */
final class Choker {

    static final int REGULAR_SLOTS = 4;
    static final int OPTIMISTIC_EVERY_ROUNDS = 3;
    /** A peer connected less than this many rounds ago (a minute) counts as new for the optimistic unchoke. */
    static final int NEW_PEER_ROUNDS = 6;
    /** Rates are measured over this many rounds: 20 s, the reference client's rolling window. */
    static final int RATE_ROUNDS = 2;

    /**
     * What the choker sees of one peer.
     *
     * @param unchokesUs  we are interested in the peer and it does not choke us: it lets us
     *                    download, whether or not a block has come yet
     * @param given       bytes it has sent us on this connection
     * @param taken       bytes we have sent it on this connection
     */
    record Candidate<K>(K key, boolean interested, boolean snubbed, boolean unchokesUs, long given, long taken,
                        long connectedAtMillis) {
    }

    /** One peer as ranked this round: its candidate record and its rates over the last rounds. */
    private record Ranked<K>(Candidate<K> peer, double givenRate, double takenRate, long takenAsSeeder) {
        K key() {
            return peer.key();
        }
    }

    /** Byte counts of one peer at the end of a round. */
    private record Sample(long atMillis, long given, long taken) {
    }

    /** What the choker remembers of a peer between rounds. */
    private static final class Memory {
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        long takenBeforeSeeding = -1; // unknown until the first seeding round that sees the peer
    }

    private final LongSupplier clockMillis;
    private final Random random;
    private final int slots;
    private final long roundMillis;
    private final Map<Object, Memory> memory = new HashMap<>();
    private long seedingSinceMillis = -1;
    private int round;
    private Object optimistic;

    /**
     * @param roundMillis how often {@link #round} is called (10 s normally); the spans the
     *     rules speak of (a minute, 20 s of rate) are counted in rounds, so a test with quick
     *     rounds keeps them
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
        if (seeding && seedingSinceMillis < 0) {
            seedingSinceMillis = now;
        } else if (!seeding) {
            seedingSinceMillis = -1;
        }
        List<Ranked<K>> interested = measure(peers, now, seeding).stream().filter(r -> r.peer().interested()).toList();

        List<Ranked<K>> ranked = new ArrayList<>(interested.stream().filter(r -> !r.peer().snubbed()).toList());
        if (seeding) {
            ranked.sort(Comparator.comparingLong((Ranked<K> r) -> r.takenAsSeeder())
                    .thenComparing(Comparator.comparingDouble((Ranked<K> r) -> r.takenRate()).reversed()));
        } else {
            ranked.sort(Comparator.comparingDouble((Ranked<K> r) -> r.givenRate()).reversed()
                    .thenComparing((Ranked<K> r) -> !r.peer().unchokesUs())
                    .thenComparing(Comparator.comparingLong((Ranked<K> r) -> r.peer().given()).reversed()));
        }
        Set<K> unchoke = new HashSet<>();
        for (int i = 0; i < Math.min(slots, ranked.size()); i++) {
            unchoke.add(ranked.get(i).key());
        }

        boolean rotate = round++ % OPTIMISTIC_EVERY_ROUNDS == 0
                || interested.stream().noneMatch(r -> r.key().equals(optimistic));
        if (rotate) {
            optimistic = pickOptimistic(interested, unchoke, now, seeding);
        }
        if (optimistic != null) {
            @SuppressWarnings("unchecked") K k = (K) optimistic;
            unchoke.add(k);
        }
        return unchoke;
    }

    /**
     * Each peer's rates over the last {@value #RATE_ROUNDS} rounds (over its life, when it is
     * younger), and what we sent it as a seeder; forgets peers that are gone.
     */
    private <K> List<Ranked<K>> measure(List<Candidate<K>> peers, long now, boolean seeding) {
        Set<Object> present = new HashSet<>();
        List<Ranked<K>> ranked = new ArrayList<>();
        for (Candidate<K> c : peers) {
            present.add(c.key());
            Memory m = memory.computeIfAbsent(c.key(), k -> new Memory());
            Sample oldest = m.samples.isEmpty() ? new Sample(c.connectedAtMillis(), 0, 0) : m.samples.peekFirst();
            // at least a round: a block from a peer connected a moment ago is not a fast rate
            double seconds = Math.max(roundMillis, now - oldest.atMillis()) / 1000.0;
            if (seeding && m.takenBeforeSeeding < 0) {
                // a peer that came after we began seeding counts from its first byte
                m.takenBeforeSeeding = c.connectedAtMillis() >= seedingSinceMillis ? 0 : c.taken();
            } else if (!seeding) {
                m.takenBeforeSeeding = -1;
            }
            ranked.add(new Ranked<>(c, (c.given() - oldest.given()) / seconds, (c.taken() - oldest.taken()) / seconds,
                    seeding ? c.taken() - m.takenBeforeSeeding : 0));
            m.samples.addLast(new Sample(now, c.given(), c.taken()));
            while (m.samples.size() > RATE_ROUNDS) {
                m.samples.removeFirst();
            }
        }
        memory.keySet().retainAll(present);
        return ranked;
    }

    /** A choked interested peer drawn by lot (see {@link #tickets}), or null when there is none. */
    private <K> K pickOptimistic(List<Ranked<K>> interested, Set<K> unchoked, long now, boolean seeding) {
        List<Ranked<K>> choked = interested.stream().filter(r -> !unchoked.contains(r.key())).toList();
        int total = 0;
        for (Ranked<K> r : choked) {
            total += tickets(r, now, seeding);
        }
        if (total == 0) {
            return null;
        }
        int ticket = random.nextInt(total);
        for (Ranked<K> r : choked) {
            ticket -= tickets(r, now, seeding);
            if (ticket < 0) {
                return r.key();
            }
        }
        throw new AssertionError("unreachable: tickets add up");
    }

    /**
     * Tickets in the optimistic lottery. While downloading: one for a peer that has never sent
     * us anything, three for one that has; nine, three times as many, for a newcomer, which
     * has had no time to send anything, and for a peer that is sending us data although we
     * choke it. While seeding nobody sends us anything: three for a newcomer, one for the rest.
     */
    private int tickets(Ranked<?> r, long now, boolean seeding) {
        boolean isNew = now - r.peer().connectedAtMillis() < NEW_PEER_ROUNDS * roundMillis;
        if (seeding) {
            return isNew ? 3 : 1;
        }
        if (isNew || r.givenRate() > 0) {
            return 9;
        }
        return r.peer().given() > 0 ? 3 : 1;
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
