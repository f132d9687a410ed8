package pyto.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;

/**
 * Checks each finished piece (BEP 3: a piece counts only once its SHA-1 matches) and writes
 * it out ({@link PieceAssembly#check}) on threads of its own. The peer thread that completes
 * a piece only queues it here and goes back to its socket, so that receiving on one side and
 * hashing and writing on the other use every core at once; hashing and writing are more than
 * half the CPU a download takes. The hand-off is one per piece, not per block: waking a
 * thread costs a few microseconds, and a block arrives every 30 microseconds on a fast link.
 *
 * <p>The queue outlives a run of the torrent: {@link #run()} is a verifier task of one run
 * and ends when the run is cancelled, and pieces still queued then are checked in the next
 * run (a piece whose check was cut short too).
 */
final class PieceVerifier {

    /**
     * Verifier threads per torrent: one per core, four at most. They hash side by side and
     * take turns to write ({@link PieceAssembly}).
     */
    static final int THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);

    /** Where a verifier gathers a piece's blocks for one write: a 1 MiB piece, a common size, in one. */
    static final int SCRATCH_BYTES = 1 << 20;

    /** What becomes of a piece; called on a verifier's thread. */
    interface Verdicts {
        /** The piece was checked: {@code good} when it matches its hash. */
        void checked(int piece, boolean good);

        /** The piece could not be read from disk, or written to it. */
        void failed(int piece, IOException e);
    }

    private final PieceAssembly assembly;
    private final Verdicts verdicts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Integer> pending = new ArrayDeque<>(); // guarded by lock

    PieceVerifier(PieceAssembly assembly, Verdicts verdicts) {
        this.assembly = assembly;
        this.verdicts = verdicts;
    }

    /** Every block of {@code piece} has arrived (held in memory, or written when there was no room): check it soon. */
    void submit(int piece) {
        assembly.finished(piece);
        lock.lock();
        try {
            pending.addLast(piece);
            queued.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Pieces waiting for their check. */
    int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Starts the verifier tasks of one run of the torrent in {@code scope}. */
    void start(Scope scope) {
        for (int i = 1; i <= THREADS; i++) {
            scope.fork("verifier " + i, this::run);
        }
    }

    /**
     * A verifier task of one run: checks queued pieces until the thread is interrupted. A
     * torrent runs several, which take pieces from the same queue.
     */
    void run() throws InterruptedException {
        ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
        while (true) {
            int piece = take();
            boolean good;
            try {
                good = assembly.check(piece, scratch);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    putBack(piece); // the run is over; the next one checks it
                    return;
                }
                verdicts.failed(piece, e);
                continue;
            }
            verdicts.checked(piece, good);
        }
    }

    private int take() throws InterruptedException {
        lock.lock();
        try {
            while (pending.isEmpty()) {
                queued.await();
            }
            return pending.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void putBack(int piece) {
        lock.lock();
        try {
            pending.addFirst(piece);
        } finally {
            lock.unlock();
        }
    }
}
