package pyto.piece;

import java.util.ArrayList;
import java.util.List;
import pyto.metainfo.Metainfo;

/**
 * The shape of a torrent's byte stream: pieces of {@code pieceLength} bytes (the last may be
 * shorter), each cut into 16 KiB blocks (the last block of a piece may be shorter), the unit
 * that peers request (BEP 3).
 */
public record PieceGeometry(long totalLength, int pieceLength) {

    /** 16 KiB: what every client requests and the most that any client serves in one message. */
    public static final int BLOCK_SIZE = 16 * 1024;

    public PieceGeometry {
        if (totalLength <= 0 || pieceLength <= 0) {
            throw new IllegalArgumentException("empty geometry: " + totalLength + " / " + pieceLength);
        }
    }

    public static PieceGeometry of(Metainfo metainfo) {
        return new PieceGeometry(metainfo.totalLength(), Math.toIntExact(metainfo.pieceLength()));
    }

    public int pieceCount() {
        return (int) ((totalLength + pieceLength - 1) / pieceLength);
    }

    /** Where piece {@code piece} starts in the torrent's byte stream. */
    public long pieceOffset(int piece) {
        return (long) piece * pieceLength;
    }

    public int pieceSize(int piece) {
        return (int) Math.min(pieceLength, totalLength - pieceOffset(piece));
    }

    public int blockCount(int piece) {
        return (pieceSize(piece) + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    /** The length of block {@code block} of piece {@code piece}. */
    public int blockSize(int piece, int block) {
        return Math.min(BLOCK_SIZE, pieceSize(piece) - block * BLOCK_SIZE);
    }

    /**
     * Whether a peer may ask for these bytes: inside one piece and at most one block long.
     * Alignment is not required; BEP 3 lets a requester cut blocks as it likes.
     */
    public boolean isValidRequest(int piece, int begin, int length) {
        return piece >= 0 && piece < pieceCount()
                && begin >= 0 && length > 0 && length <= BLOCK_SIZE
                && (long) begin + length <= pieceSize(piece);
    }

    /** Block {@code index} of piece {@code piece}: 16 KiB at {@code index * 16 KiB}, the last maybe shorter. */
    public Block block(int piece, int index) {
        return new Block(piece, index * BLOCK_SIZE, blockSize(piece, index));
    }

    /** Every block of {@code piece}, in order. */
    public List<Block> blocks(int piece) {
        int count = blockCount(piece);
        List<Block> blocks = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            blocks.add(block(piece, index));
        }
        return blocks;
    }

    /**
     * Whether {@code block} is exactly one of ours, as {@link #block} cuts them: the only
     * blocks we request, so the only ones a piece message may deliver.
     */
    public boolean isBlock(Block block) {
        int piece = block.piece();
        return piece >= 0 && piece < pieceCount()
                && block.begin() >= 0 && block.begin() % BLOCK_SIZE == 0
                && block.begin() < pieceSize(piece)
                && block.length() == blockSize(piece, block.index());
    }
}
