package pyto.storage;

import java.util.BitSet;

/**
 * The outcome of a resume check: which pieces are complete and correct on disk.
 * (A plain {@code BitSet} until {@code pyto.piece.Bitfield} exists; the session converts.)
 *
 * @param verified   bit {@code i} is set when piece {@code i} is on disk with the right SHA-1
 * @param pieceCount how many pieces the torrent has
 */
public record CheckResult(BitSet verified, int pieceCount) {

    public CheckResult {
        if (verified.length() > pieceCount) {
            throw new IllegalArgumentException("piece " + (verified.length() - 1) + " of " + pieceCount);
        }
        verified = (BitSet) verified.clone();
    }

    @Override
    public BitSet verified() {
        return (BitSet) verified.clone();
    }

    public boolean has(int piece) {
        return verified.get(piece);
    }

    public int verifiedCount() {
        return verified.cardinality();
    }

    public boolean complete() {
        return verified.cardinality() == pieceCount;
    }
}
