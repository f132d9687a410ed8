package pyto.piece;

/**
 * The unit peers request and send (BEP 3): {@code length} bytes of {@code piece} from
 * offset {@code begin}. Ours are 16 KiB, aligned, the last of a piece possibly shorter
 * (see {@link PieceGeometry#block}).
 */
public record Block(int piece, int begin, int length) {

    /** The block's place within its piece, counting 16 KiB blocks from 0. */
    public int index() {
        return begin / PieceGeometry.BLOCK_SIZE;
    }

    @Override
    public String toString() {
        return "block " + piece + " @" + begin + " (" + length + " bytes)";
    }
}
