package pyto.peer;

import java.util.ArrayList;
import java.util.List;
import pyto.piece.Bitfield;

/**
 * What a peer with the fast extension (BEP 6) told us about fetching from it: the pieces it
 * lets us fetch even while it chokes us (allowed fast), which is how a newcomer with nothing
 * to trade gets its first pieces, and the pieces it would rather we fetched (suggest piece).
 * Bounded whatever the peer sends: BEP 6 grants about ten pieces, and a peer granting
 * hundreds gets no more attention.
 *
 * <p>Not thread-safe: its connection's download side guards it with its own lock.
 */
final class FastHints {

    /** The most pieces kept of each kind. */
    static final int MAX = EarlyHaves.MAX_HINTS;

    private final Bitfield allowedFast;
    private final List<Integer> suggested = new ArrayList<>();

    FastHints(int pieceCount) {
        this.allowedFast = new Bitfield(pieceCount);
    }

    /** BEP 6 allowed_fast: we may ask for {@code piece} even while choked. */
    void allow(int piece) {
        if (allowedFast.cardinality() < MAX) {
            allowedFast.set(piece);
        }
    }

    /** BEP 6 suggest_piece: the newest suggestions are kept. */
    void suggest(int piece) {
        if (suggested.contains(piece)) {
            return;
        }
        if (suggested.size() >= MAX) {
            suggested.removeFirst();
        }
        suggested.add(piece);
    }

    boolean isAllowedFast(int piece) {
        return allowedFast.get(piece);
    }

    /**
     * The pieces we may ask the peer for now: all it has while it lets us, only its
     * allowed-fast ones while it chokes us; null when that leaves nothing.
     */
    Bitfield askable(Bitfield peerHas, boolean peerChoking) {
        if (!peerChoking) {
            return peerHas;
        }
        if (allowedFast.isEmpty()) {
            return null;
        }
        Bitfield mask = peerHas.copy();
        mask.retainAll(allowedFast);
        return mask;
    }

    /** The suggested pieces, newest last, for the picker to start first. */
    List<Integer> suggested() {
        return suggested;
    }
}
