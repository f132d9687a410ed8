package pyto.peer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
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
 * disk, and the disk gets a few large writes instead of one per 16 KiB block. The checks of
 * several pieces may run at once, but their writes take turns, under a lock of our own:
 * buffered writes to one file take turns in the kernel anyway, and there a thread that
 * waits spins on a core the others need, where ours sleeps. A block held is lost if the
 * program ends before its piece is checked; it was not verified, so nothing verified is
 * lost.
 *
 * <p>Blocks held, across all pieces, are limited to {@link #MAX_HELD_BYTES}. When finished
 * pieces waiting for their check fill the room, a peer thread with a new block waits until
 * the checks have freed half of it: the verifiers set the pace, TCP slows the peer down,
 * and each wait lets in many blocks, not one. When unfinished pieces alone fill the room
 * (many peers, each with a piece under way), nothing will free it soon: {@link #hold} says
 * no at once, the caller writes the block itself, and the check reads it back from disk.
 *
 * <p>Peer threads hold blocks and the verifiers' threads check pieces: a lock guards the
 * blocks held, and is not held while hashing or writing.
 */
final class PieceAssembly {

    /** Blocks held at most, per torrent: the pieces in flight fit easily. */
    static final long MAX_HELD_BYTES = 16L << 20;
    /** The longest a peer thread waits for room before it writes its block itself. */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomMade = lock.newCondition();
    private final ReentrantLock writing = new ReentrantLock(); // one write at a time; see above
    private final Map<Integer, Map<Integer, byte[]>> held = new HashMap<>(); // piece -> offset -> block; guarded by lock
    private long heldBytes;                                                  // guarded by lock
    private final Set<Integer> finished = new HashSet<>(); // pieces queued for their check; guarded by lock
    private long finishedBytes;                            // their bytes held; guarded by lock
    private final Storage storage;
    private final PieceGeometry geometry;
    private final BlockArrays arrays;
    private final long maxHeldBytes;

    /** @param arrays where the blocks' arrays go back once their piece is written */
    PieceAssembly(Storage storage, PieceGeometry geometry, BlockArrays arrays) {
        this(storage, geometry, arrays, MAX_HELD_BYTES);
    }

    /** @param maxHeldBytes how much of the blocks to hold; tests pass a small limit */
    PieceAssembly(Storage storage, PieceGeometry geometry, BlockArrays arrays, long maxHeldBytes) {
        this.storage = storage;
        this.geometry = geometry;
        this.arrays = arrays;
        this.maxHeldBytes = maxHeldBytes;
    }

    /**
     * A block arrived: holds it for its piece's check, if need be after a wait for room. False
     * when there is none to wait for: the caller writes the block to disk itself.
     * {@code data} holds exactly the block and must not change afterwards.
     */
    boolean hold(Block block, byte[] data) throws InterruptedIOException {
        lock.lock();
        try {
            long left = MAX_WAIT_NANOS;
            while (heldBytes + data.length > maxHeldBytes) {
                if (finishedBytes == 0 || left <= 0) {
                    return false; // only unfinished pieces fill the room: nothing frees it soon
                }
                left = roomMade.awaitNanos(left);
            }
            held.computeIfAbsent(block.piece(), p -> new HashMap<>()).put(block.begin(), data);
            heldBytes += data.length;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the peer is being closed: its read loop ends
            throw new InterruptedIOException("stopped while waiting for room for a block");
        } finally {
            lock.unlock();
        }
    }

    /** Every block of {@code piece} has arrived: it waits for its check, which will free its blocks. */
    void finished(int piece) {
        lock.lock();
        try {
            if (finished.add(piece)) {
                finishedBytes += bytes(held.get(piece));
            }
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
            writing.lock();
            try {
                storage.write(piece, begin, scratch.flip());
            } finally {
                writing.unlock();
            }
            scratch.clear();
        }
    }

    /**
     * Removes a piece's blocks (none: an empty map). Wakes the peers waiting for room once
     * half the room is free, not at every piece, so that each wait lets in many blocks; or
     * when no finished piece is left to free any.
     */
    private Map<Integer, byte[]> take(int piece) {
        lock.lock();
        try {
            Map<Integer, byte[]> blocks = held.remove(piece);
            long bytes = bytes(blocks);
            heldBytes -= bytes;
            if (finished.remove(piece)) {
                finishedBytes -= bytes;
            }
            if (heldBytes <= maxHeldBytes / 2 || finishedBytes == 0) {
                roomMade.signalAll();
            }
            return blocks == null ? Map.of() : blocks;
        } finally {
            lock.unlock();
        }
    }

    /** The blocks of a piece whose check was cut short, back as they were: finished, waiting for a check. */
    private void putBack(int piece, Map<Integer, byte[]> blocks) {
        lock.lock();
        try {
            if (!blocks.isEmpty()) {
                held.computeIfAbsent(piece, p -> new HashMap<>()).putAll(blocks);
                heldBytes += bytes(blocks);
            }
            if (finished.add(piece)) {
                finishedBytes += bytes(held.get(piece));
            }
        } finally {
            lock.unlock();
        }
    }

    private static long bytes(Map<Integer, byte[]> blocks) {
        long sum = 0;
        if (blocks != null) {
            for (byte[] b : blocks.values()) {
                sum += b.length;
            }
        }
        return sum;
    }
}
