package pyto.peer;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import pyto.piece.Block;
import pyto.storage.Storage;

/**
 * Checks finished pieces (SHA-1, BEP 3) from the blocks kept in memory as they arrived, so
 * that a piece is not read back from disk to be checked.
 *
 * <p>Every block that arrives is written to disk and also kept here (a second reference to
 * the array it was read into, not a copy) until its piece is complete. Blocks kept, across
 * all pieces, are held to {@link #MAX_KEPT_BYTES}: past that a block is only written. A
 * digest takes bytes in order only, so the check hashes the kept blocks from the start of
 * the piece up to the first one missing, and reads the rest from disk. Either way the answer
 * is the hash of what is on disk.
 *
 * <p>Peer threads add blocks and {@link PieceVerifier}'s thread checks pieces: a lock guards
 * the kept blocks, and is not held while hashing or reading.
 */
final class PieceHashing {

    /** Blocks kept at most, per torrent: the pieces in flight fit easily. */
    static final long MAX_KEPT_BYTES = 16L << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Map<Integer, byte[]>> kept = new HashMap<>(); // piece -> offset -> block; guarded by lock
    private long keptBytes;                                                  // guarded by lock
    private final Storage storage;
    private final long maxKeptBytes;

    PieceHashing(Storage storage) {
        this(storage, MAX_KEPT_BYTES);
    }

    /** @param maxKeptBytes how much of the blocks to keep; tests pass a small limit */
    PieceHashing(Storage storage, long maxKeptBytes) {
        this.storage = storage;
        this.maxKeptBytes = maxKeptBytes;
    }

    /**
     * A block is on disk: keep it for its piece's check, if there is room. {@code data} holds
     * exactly the block and must not change afterwards.
     */
    void written(Block block, byte[] data) {
        lock.lock();
        try {
            if (keptBytes + data.length <= maxKeptBytes) {
                kept.computeIfAbsent(block.piece(), p -> new HashMap<>()).put(block.begin(), data);
                keptBytes += data.length;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every block of {@code piece} is on disk: whether the piece matches its hash. */
    boolean verify(int piece) throws IOException {
        Map<Integer, byte[]> blocks;
        lock.lock();
        try {
            blocks = kept.remove(piece);
            if (blocks != null) {
                for (byte[] b : blocks.values()) {
                    keptBytes -= b.length;
                }
            }
        } finally {
            lock.unlock();
        }
        MessageDigest sha1 = newSha1();
        int hashed = 0;
        if (blocks != null) {
            for (byte[] next; (next = blocks.get(hashed)) != null; ) {
                sha1.update(next);
                hashed += next.length;
            }
        }
        return storage.verifyPiece(piece, sha1, hashed);
    }

    /** Bytes of blocks kept now (for tests). */
    long keptBytes() {
        lock.lock();
        try {
            return keptBytes;
        } finally {
            lock.unlock();
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
