package pyto.peer;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import pyto.piece.PieceGeometry;

/**
 * Arrays for the blocks that arrive, reused once their piece is checked and written. A fast
 * download takes in a 16 KiB block every 30 microseconds; a new array for each is a gigabyte
 * of memory zeroed, then collected, for every gigabyte downloaded.
 *
 * <p>Only {@link PieceAssembly} gives arrays back, when it is done with a piece's blocks: by
 * then nothing else refers to them. An array given back is overwritten by the next block,
 * so giving back one still in use would corrupt that block; the pieces' hash checks would
 * catch it, but this class relies on its one caller to never do it. Blocks of another size
 * (the last of the torrent) get a new array, and are never kept.
 */
final class BlockArrays implements IntFunction<byte[]> {

    /**
     * Arrays kept for reuse at most (4 MiB): enough for the blocks that arrive while the next
     * piece is checked; kept memory is memory a seeding torrent does not use.
     */
    static final int MAX_KEPT = 256;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>(); // guarded by lock

    /** An array of {@code length} bytes, with whatever it held before. */
    @Override
    public byte[] apply(int length) {
        if (length == PieceGeometry.BLOCK_SIZE) {
            lock.lock();
            try {
                byte[] reused = free.pollFirst();
                if (reused != null) {
                    return reused;
                }
            } finally {
                lock.unlock();
            }
        }
        return new byte[length];
    }

    /** Takes back arrays that nothing refers to any more. */
    void giveBack(Collection<byte[]> arrays) {
        lock.lock();
        try {
            for (byte[] a : arrays) {
                if (a.length == PieceGeometry.BLOCK_SIZE && free.size() < MAX_KEPT) {
                    free.addFirst(a); // the most recently used first: likelier still in a cache
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lets every kept array go: the download is complete, no more blocks will come. */
    void clear() {
        lock.lock();
        try {
            free.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Arrays waiting for reuse (for tests). */
    int kept() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }
}
