package pyto.piece;

import java.util.Random;

/**
 * How many connected peers have each piece (from their bitfield and have messages, BEP 3),
 * and the choice of a new piece to start from that: at random, or rarest first with ties
 * broken at random.
 *
 * <p>Guarded by the lock of the {@link PiecePicker} that owns it.
 */
final class Availability {

    private final int[] peersWith;
    private final Random random;

    Availability(int pieceCount, Random random) {
        this.peersWith = new int[pieceCount];
        this.random = random;
    }

    int of(int piece) {
        return peersWith[piece];
    }

    void add(int piece) {
        peersWith[piece]++;
    }

    /** Counts a peer's pieces in ({@code delta} 1) or out ({@code delta} -1). */
    void add(Bitfield peerHas, int delta) {
        for (int piece = peerHas.nextSetBit(0); piece >= 0; piece = peerHas.nextSetBit(piece + 1)) {
            peersWith[piece] += delta;
        }
    }

    /**
     * A piece the peer has and that is in neither {@code have} nor {@code started}, or -1:
     * uniformly at random if {@code atRandom}, else one of the rarest. Two passes over the
     * candidates, 64 pieces a word, so the choice costs one call to the random generator
     * rather than one per tie.
     */
    int choose(Bitfield peerHas, Bitfield have, Bitfield started, boolean atRandom) {
        int rarest = Integer.MAX_VALUE;
        int ties = 0;
        for (int w = 0; w < peerHas.words.length; w++) {
            long candidates = peerHas.words[w] & ~have.words[w] & ~started.words[w];
            for (; candidates != 0; candidates &= candidates - 1) {
                int piece = (w << 6) + Long.numberOfTrailingZeros(candidates);
                int rarity = atRandom ? 0 : peersWith[piece];
                if (rarity < rarest) {
                    rarest = rarity;
                    ties = 0;
                }
                if (rarity == rarest) {
                    ties++;
                }
            }
        }
        if (ties == 0) {
            return -1;
        }
        int chosen = random.nextInt(ties);
        for (int w = 0; w < peerHas.words.length; w++) {
            long candidates = peerHas.words[w] & ~have.words[w] & ~started.words[w];
            for (; candidates != 0; candidates &= candidates - 1) {
                int piece = (w << 6) + Long.numberOfTrailingZeros(candidates);
                if ((atRandom || peersWith[piece] == rarest) && chosen-- == 0) {
                    return piece;
                }
            }
        }
        throw new AssertionError("tie " + chosen + " of " + ties + " vanished");
    }
}
