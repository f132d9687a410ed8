package pyto.metainfo;

/**
 * The piece length of a new torrent (BEP 3 leaves the choice to its maker).
 *
 * <p>Without instructions: the smallest power of two from 16 KiB to 16 MiB that cuts the content
 * into at most 2,000 pieces, so a torrent has 1,000 to 2,000 pieces unless it is very small or
 * very large. Fewer, larger pieces keep the .torrent file and the bitfield small; more, smaller
 * pieces let peers start sharing sooner and lose less to a bad piece. 16 KiB is one request
 * block, the smallest piece that makes sense.
 */
final class PieceLengthChooser {

    static final int MIN_PIECE_LENGTH = 16 * 1024;
    static final int MAX_AUTOMATIC_PIECE_LENGTH = 16 * 1024 * 1024;
    static final int MAX_PIECE_LENGTH = (int) InfoDictParser.MAX_PIECE_LENGTH;
    static final long TARGET_PIECES = 2_000;

    private PieceLengthChooser() {
    }

    static int choose(long totalLength) {
        int pieceLength = MIN_PIECE_LENGTH;
        while (pieceLength < MAX_AUTOMATIC_PIECE_LENGTH && Math.ceilDiv(totalLength, pieceLength) > TARGET_PIECES) {
            pieceLength *= 2;
        }
        return pieceLength;
    }

    /**
     * Checks a piece length asked for by a user: a power of two (every client's habit, and
     * BEP 52's rule) from 16 KiB up to the 512 MiB that pyto reads.
     */
    static int checkGiven(int pieceLength) {
        if (pieceLength < MIN_PIECE_LENGTH || pieceLength > MAX_PIECE_LENGTH || Integer.bitCount(pieceLength) != 1) {
            throw new IllegalArgumentException("the piece length must be a power of two from 16 KiB (16384) to"
                    + " 512 MiB, not " + pieceLength);
        }
        return pieceLength;
    }
}
