package pyto.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.storage.Storage;

/**
 * The blocks of unfinished pieces, held in memory until their piece is checked (SHA-1,
 * BEP 3), and the check itself: a piece is hashed from memory, and only a piece that
 * matches its hash is written to disk, in as few writes as its blocks allow.
 *
 * <p>So a piece is not read back from disk to be checked, corrupt data never reaches the
 * disk, and the disk gets a few large writes instead of one per 16 KiB block. Blocks held,
 * across all pieces, are limited to {@link #MAX_HELD_BYTES}: past that the caller writes a
 * block at once ({@link #hold} says no), and the check reads it back from disk. A block
 * held is lost if the program ends before its piece is checked; it was not verified, so
 * nothing verified is lost.
 *
 * <p>Peer threads hold blocks and the verifier's thread checks pieces: a lock guards the
 * blocks held, and is not held while hashing or writing.
 */
final class PieceHashing {

    /** Blocks held at most, per torrent: the pieces in flight fit easily. */
    static final long MAX_HELD_BYTES = 16L << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Map<Integer, byte[]>> held = new HashMap<>(); // piece -> offset -> block; guarded by lock
    private long heldBytes;                                                  // guarded by lock
    private final Storage storage;
    private final PieceGeometry geometry;
    private final BlockArrays arrays;
    private final long maxHeldBytes;

    /** @param arrays where the blocks' arrays go back once their piece is written */
    PieceHashing(Storage storage, PieceGeometry geometry, BlockArrays arrays) {
        this(storage, geometry, arrays, MAX_HELD_BYTES);
    }

    /** @param maxHeldBytes how much of the blocks to hold; tests pass a small limit */
    PieceHashing(Storage storage, PieceGeometry geometry, BlockArrays arrays, long maxHeldBytes) {
        this.storage = storage;
        this.geometry = geometry;
        this.arrays = arrays;
        this.maxHeldBytes = maxHeldBytes;
    }

    /**
     * A block arrived: holds it for its piece's check if there is room. False when there is
     * none: the caller writes the block to disk itself. {@code data} holds exactly the block
     * and must not change afterwards.
     */
    boolean hold(Block block, byte[] data) {
        lock.lock();
        try {
            if (heldBytes + data.length > maxHeldBytes) {
                return false;
            }
            held.computeIfAbsent(block.piece(), p -> new HashMap<>()).put(block.begin(), data);
            heldBytes += data.length;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every block of {@code piece} has arrived, held here or written: whether the piece matches
     * its hash. A good piece's held blocks are then written, staged in {@code scratch} (any
     * size of at least one block); a bad piece's are dropped. Either way their arrays go back
     * for reuse. If reading or writing fails, the blocks are dropped too, unless this thread
     * was interrupted: then they are held again, for the next run's check.
     */
    boolean check(int piece, ByteBuffer scratch) throws IOException {
        Map<Integer, byte[]> blocks = take(piece);
        try {
            boolean good = storage.verifyPiece(piece, blocks);
            if (good) {
                write(piece, blocks, scratch);
            }
            arrays.giveBack(blocks.values()); // written, or dropped
            return good;
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                putBack(piece, blocks); // the run is ending; the next one checks the piece again
            }
            throw e; // else the piece is fetched again, or the torrent stops on a disk error
        }
    }

    /** Bytes of blocks held now (for tests). */
    long heldBytes() {
        lock.lock();
        try {
            return heldBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the held blocks of a good piece: each run of adjacent blocks in one write, as far as scratch holds. */
    private void write(int piece, Map<Integer, byte[]> blocks, ByteBuffer scratch) throws IOException {
        scratch.clear();
        int runStart = 0;
        for (int begin = 0; begin < geometry.pieceSize(piece); begin += PieceGeometry.BLOCK_SIZE) {
            byte[] block = blocks.get(begin);
            if (block == null || scratch.remaining() < block.length) {
                flush(piece, runStart, scratch);
            }
            if (block != null) {
                if (scratch.position() == 0) {
                    runStart = begin;
                }
                scratch.put(block);
            }
        }
        flush(piece, runStart, scratch);
    }

    private void flush(int piece, int begin, ByteBuffer scratch) throws IOException {
        if (scratch.position() > 0) {
            storage.write(piece, begin, scratch.flip());
            scratch.clear();
        }
    }

    private Map<Integer, byte[]> take(int piece) {
        lock.lock();
        try {
            Map<Integer, byte[]> blocks = held.remove(piece);
            if (blocks == null) {
                return Map.of();
            }
            for (byte[] b : blocks.values()) {
                heldBytes -= b.length;
            }
            return blocks;
        } finally {
            lock.unlock();
        }
    }

    private void putBack(int piece, Map<Integer, byte[]> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            held.computeIfAbsent(piece, p -> new HashMap<>()).putAll(blocks);
            for (byte[] b : blocks.values()) {
                heldBytes += b.length;
            }
        } finally {
            lock.unlock();
        }
    }
}
