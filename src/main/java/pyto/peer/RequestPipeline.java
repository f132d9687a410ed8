package pyto.peer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;

/**
 * Our requests in flight to one peer (BEP 3 pipelining), and how many there should be.
 *
 * <p>One request at a time would leave the link idle for a round trip per block, so several
 * are kept in flight: enough to cover {@link #PIPELINE_SECONDS} of the peer's recent rate,
 * between a floor for new or slow peers and a ceiling for fast ones. Refills come in
 * batches. A request unanswered for a minute, while the peer sends other blocks, was lost on
 * the way or dropped from a full queue: it is given up and made again.
 *
 * <p>Not thread-safe: its connection's lock guards it (the endgame withdraws requests from
 * other peers' threads).
 */
final class RequestPipeline {

    static final int MIN_DEPTH = 16;
    /**
     * Not more: a peer may silently drop requests beyond its queue (libtorrent takes 500,
     * Transmission 512, and BEP 10's {@code reqq} may say less), and 250 blocks are 4 MiB
     * in flight.
     */
    static final int MAX_DEPTH = 250;
    /**
     * In endgame every block left is already asked of someone; a peer asks for copies only
     * while it has fewer than this many requests of its own, so that idle peers help finish
     * the last pieces without every peer fetching everything twice.
     */
    static final int ENDGAME_DEPTH = 4;
    static final double PIPELINE_SECONDS = 2.0;
    static final long TIMEOUT_MILLIS = 60_000;

    /** The most requests the peer takes (BEP 10's reqq); {@link #MAX_DEPTH} is ours anyway. */
    private int limit = MAX_DEPTH;
    /** Each outstanding request and when it was sent, oldest first. */
    private final Map<Block, Long> requested = new LinkedHashMap<>();
    /** The last few seconds only: the depth must follow a peer that speeds up at once. */
    private final RateMeter recent = new RateMeter(3, System::currentTimeMillis);

    /**
     * How many more requests to send now: none while the pipeline is nearly full, so that
     * refills come in batches of an eighth of the depth, not one per block received.
     */
    int room(boolean endgame) {
        int depth = Math.min(limit, endgame ? ENDGAME_DEPTH : depth());
        int want = depth - requested.size();
        return want <= 0 || (want < depth / 8 && !requested.isEmpty()) ? 0 : want;
    }

    private int depth() {
        double blocks = recent.rate() * PIPELINE_SECONDS / PieceGeometry.BLOCK_SIZE;
        return (int) Math.max(MIN_DEPTH, Math.min(MAX_DEPTH, blocks));
    }

    void sent(List<Block> blocks, long nowMillis) {
        blocks.forEach(b -> requested.put(b, nowMillis));
    }

    /** A block arrived: no longer outstanding (whether or not we still had it down as asked). */
    void arrived(Block block) {
        requested.remove(block);
        recent.add(block.length());
    }

    /** Withdraws one request; false when it was not outstanding. */
    boolean withdraw(Block block) {
        return requested.remove(block) != null;
    }

    /** The peer said how many requests it queues (BEP 10 {@code reqq}): never more than that outstanding. */
    void limit(int requestQueue) {
        limit = Math.clamp(requestQueue, 1, MAX_DEPTH);
    }

    /** Withdraws and returns the requests that match. */
    List<Block> withdrawIf(Predicate<Block> which) {
        List<Block> out = new ArrayList<>();
        requested.keySet().removeIf(b -> which.test(b) && out.add(b));
        return out;
    }

    /** Withdraws every request (the peer choked us, or went away). */
    List<Block> withdrawAll() {
        List<Block> all = new ArrayList<>(requested.keySet());
        requested.clear();
        return all;
    }

    /** Withdraws and returns the requests sent more than {@link #TIMEOUT_MILLIS} ago. */
    List<Block> withdrawExpired(long nowMillis) {
        List<Block> expired = new ArrayList<>();
        for (Iterator<Map.Entry<Block, Long>> it = requested.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Block, Long> request = it.next();
            if (nowMillis - request.getValue() < TIMEOUT_MILLIS) {
                break; // oldest first: the rest are younger
            }
            expired.add(request.getKey());
            it.remove();
        }
        return expired;
    }

    Set<Block> blocks() {
        return requested.keySet();
    }

    boolean isEmpty() {
        return requested.isEmpty();
    }
}
