package pyto.peer;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import pyto.piece.Block;
import pyto.storage.Storage;

/**
 * Hashes each piece (SHA-1, BEP 3) while its blocks arrive, so that a finished piece is
 * checked without reading it back from disk.
 *
 * <p>A digest can only take bytes in order, and blocks do not always arrive in order: we ask
 * for them in order, but a seeder that reads its disk on several threads (libtorrent) sends
 * each block when its read completes. So a block that continues its piece's digest is hashed
 * at once, and one that arrives early waits in memory (it is on disk already; this is only
 * a second reference to the array it was read into) until the gap before it is filled. The
 * blocks waiting, across all pieces, are held to {@link #MAX_WAITING_BYTES}: past that, an
 * early block is only written, the digest stops at the gap, and when the piece is complete
 * whatever the digest has not covered is read back from disk. Either way the answer is the
 * hash of what is on disk.
 *
 * <p>Called from many peer threads: a lock guards the map and the count of waiting bytes,
 * and each piece's digest has a lock of its own, held while hashing (CPU work, no I/O).
 * Lock order: a piece's lock, then the map's.
 */
final class PieceHashing {

    /** Early blocks held for their digests at most, per torrent; a few pieces in flight fit easily. */
    static final long MAX_WAITING_BYTES = 16L << 20;

    /** One piece's digest so far; guarded by its own lock. */
    private static final class Running {
        final ReentrantLock lock = new ReentrantLock();
        final MessageDigest sha1 = newSha1();
        final TreeMap<Integer, byte[]> early = new TreeMap<>(); // blocks past a gap, by offset
        int hashed; // bytes of the piece in the digest so far
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Running> pieces = new HashMap<>(); // guarded by lock
    private long waitingBytes;                                    // guarded by lock
    private final Storage storage;
    private final long maxWaitingBytes;

    PieceHashing(Storage storage) {
        this(storage, MAX_WAITING_BYTES);
    }

    /** @param maxWaitingBytes how much of early blocks to hold; tests pass a small limit */
    PieceHashing(Storage storage, long maxWaitingBytes) {
        this.storage = storage;
        this.maxWaitingBytes = maxWaitingBytes;
    }

    /**
     * A block is on disk: hash it if it is the next one its piece's digest needs (and then
     * any early blocks it joins up with), or keep it until it is. {@code data} holds exactly
     * the block and must not change afterwards: it may be hashed later.
     */
    void written(Block block, byte[] data) {
        Running r = running(block.piece());
        r.lock.lock();
        try {
            if (block.begin() == r.hashed) {
                r.sha1.update(data);
                r.hashed += data.length;
                hashEarlyBlocks(r);
            } else if (block.begin() > r.hashed && reserve(data.length)) {
                r.early.put(block.begin(), data);
            }
        } finally {
            r.lock.unlock();
        }
    }

    /** Hashes the early blocks that now continue the digest. Holds the piece's lock. */
    private void hashEarlyBlocks(Running r) {
        long released = 0;
        for (byte[] next; (next = r.early.remove(r.hashed)) != null; ) {
            r.sha1.update(next);
            r.hashed += next.length;
            released += next.length;
        }
        release(released);
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
            // Normally nothing waits any more: every gap was filled. Blocks still here lie past
            // a block that was not kept; the disk has them too.
            release(r.early.values().stream().mapToLong(b -> b.length).sum());
            r.early.clear();
            return storage.verifyPiece(piece, r.sha1, r.hashed);
        } finally {
            r.lock.unlock();
        }
    }

    /** Bytes of early blocks held now (for tests). */
    long waitingBytes() {
        lock.lock();
        try {
            return waitingBytes;
        } finally {
            lock.unlock();
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

    private boolean reserve(int bytes) {
        lock.lock();
        try {
            if (waitingBytes + bytes > maxWaitingBytes) {
                return false;
            }
            waitingBytes += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            waitingBytes -= bytes;
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
