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
 * Hashes each piece (SHA-1, BEP 3) while its blocks arrive, so that a finished piece is
 * checked without reading it back from disk.
 *
 * <p>A digest can only take bytes in order. Blocks mostly arrive in order (we request them
 * that way), and each one that continues its piece's digest is hashed from memory as it
 * goes to disk. A block that arrives early is only written; the digest then stops at the gap,
 * and when the piece is complete whatever it has not covered is read back from disk. So the
 * answer is always the hash of what is on disk, and the fast path is the usual one.
 *
 * <p>Called from many peer threads: a lock guards the map, and each piece's digest has a
 * lock of its own, held while hashing one block (CPU work, no I/O).
 */
final class PieceHashing {

    private static final class Running {
        final ReentrantLock lock = new ReentrantLock();
        final MessageDigest sha1 = newSha1();
        int hashed; // bytes of the piece in the digest so far
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Running> pieces = new HashMap<>();
    private final Storage storage;

    PieceHashing(Storage storage) {
        this.storage = storage;
    }

    /** A block is on disk: hash it too if it is the next one its piece's digest needs. */
    void written(Block block, byte[] data) {
        Running r = running(block.piece());
        r.lock.lock();
        try {
            if (block.begin() == r.hashed) {
                r.sha1.update(data, 0, block.length());
                r.hashed += block.length();
            }
        } finally {
            r.lock.unlock();
        }
    }

    /** Every block of {@code piece} is on disk: whether the piece matches its hash. */
    boolean verify(int piece) throws IOException {
        Running r;
        lock.lock();
        try {
            r = pieces.remove(piece);
        } finally {
            lock.unlock();
        }
        if (r == null) {
            return storage.verifyPiece(piece);
        }
        r.lock.lock();
        try {
            return storage.verifyPiece(piece, r.sha1, r.hashed);
        } finally {
            r.lock.unlock();
        }
    }

    private Running running(int piece) {
        lock.lock();
        try {
            return pieces.computeIfAbsent(piece, p -> new Running());
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
