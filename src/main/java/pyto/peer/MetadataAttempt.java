package pyto.peer;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One attempt at fetching a torrent's metadata (BEP 9): the size being fetched, the 16 KiB
 * pieces in so far, who was asked for each and when, and who sent each, so that metadata
 * whose hash is wrong can be blamed on its senders. Not thread-safe: the
 * {@link MetadataExchange}'s lock guards it.
 */
final class MetadataAttempt {

    private static final int PIECE = MetadataExchange.PIECE;

    final int size;
    final byte[][] pieces;
    final MetadataPeer[] asked;
    final long[] askedAt;
    final PeerIdentity[] sentBy;
    /** Every piece each peer was asked for in this attempt: a late answer is welcome, an unasked one is not. */
    private final Map<MetadataPeer, BitSet> everAsked = new HashMap<>();
    /** When fetching from one peer only (after a hash failure among several senders): that peer. */
    MetadataPeer source;

    MetadataAttempt(int size) {
        this.size = size;
        int count = (size + PIECE - 1) / PIECE;
        this.pieces = new byte[count][];
        this.asked = new MetadataPeer[count];
        this.askedAt = new long[count];
        this.sentBy = new PeerIdentity[count];
    }

    int pieceLength(int piece) {
        return Math.min(PIECE, size - piece * PIECE);
    }

    boolean complete() {
        for (byte[] p : pieces) {
            if (p == null) {
                return false;
            }
        }
        return true;
    }

    int owedBy(MetadataPeer peer) {
        int n = 0;
        for (MetadataPeer p : asked) {
            if (p == peer) {
                n++;
            }
        }
        return n;
    }

    void asked(int piece, MetadataPeer peer, long nowMillis) {
        asked[piece] = peer;
        askedAt[piece] = nowMillis;
        everAsked.computeIfAbsent(peer, p -> new BitSet()).set(piece);
    }

    boolean wasAsked(MetadataPeer peer, int piece) {
        BitSet pieces = everAsked.get(peer);
        return pieces != null && pieces.get(piece);
    }

    /** The peer will not answer: what it owes may be asked of others. */
    void forget(MetadataPeer peer) {
        for (int piece = 0; piece < asked.length; piece++) {
            if (asked[piece] == peer) {
                asked[piece] = null;
            }
        }
    }

    /** The pieces, one after the other: the metadata, if every piece is in. */
    byte[] assemble() {
        byte[] all = new byte[size];
        for (int piece = 0; piece < pieces.length; piece++) {
            System.arraycopy(pieces[piece], 0, all, piece * PIECE, pieces[piece].length);
        }
        return all;
    }
}
