package pyto.storage;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import pyto.metainfo.FileEntry;
import pyto.piece.PieceGeometry;

/**
 * The resume check at start (BEP 3 pieces, checked against their SHA-1): which pieces a
 * previous run, or another client, already left complete on disk.
 *
 * <p>First every file is looked at once: a piece that needs a file that is missing or too
 * short is skipped without reading anything, so checking an empty directory takes no time.
 * The other pieces are hashed by one virtual thread per core, each taking the next piece from
 * a shared counter, which keeps the cores evenly busy and reads the disk roughly in order.
 *
 * <p>Runs on the caller's thread, which starts the workers and joins them before returning,
 * whatever happens: a failing worker interrupts its siblings, and an interrupt of the caller
 * stops them all and ends the check with {@code InterruptedException}. (Storage may not use
 * {@code pyto.concurrent.Scope}; this fork and join is local and cannot leak a thread.)
 */
final class ResumeCheck {

    private final Storage storage;
    private final PieceGeometry geometry;
    private final ReentrantLock progressLock = new ReentrantLock();
    private final AtomicLong bytesChecked = new AtomicLong();
    private final AtomicInteger nextPiece = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long bytesReported; // guarded by progressLock

    ResumeCheck(Storage storage) {
        this.storage = storage;
        this.geometry = storage.geometry();
    }

    CheckResult run(ProgressListener progress) throws IOException, InterruptedException {
        long[] sizes = fileSizes();
        int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), geometry.pieceCount()));
        List<BitSet> found = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            BitSet mine = new BitSet(geometry.pieceCount());
            found.add(mine);
            threads.add(Thread.ofVirtual().name("pyto-check-" + w)
                    .unstarted(() -> work(sizes, mine, progress, threads)));
        }
        try {
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            if (Thread.interrupted()) { // join returns at once for threads that have ended
                throw new InterruptedException("resume check interrupted");
            }
        } finally {
            stopAndWait(threads);
        }
        rethrowFailure();
        BitSet verified = new BitSet(geometry.pieceCount());
        found.forEach(verified::or);
        return new CheckResult(verified, geometry.pieceCount());
    }

    private void work(long[] sizes, BitSet mine, ProgressListener progress, List<Thread> siblings) {
        byte[] buffer = new byte[Storage.CHUNK];
        MessageDigest sha1 = Storage.sha1();
        try {
            int piece;
            while ((piece = nextPiece.getAndIncrement()) < geometry.pieceCount()
                    && !Thread.currentThread().isInterrupted()) {
                if (onDisk(piece, sizes) && storage.verifyPiece(piece, buffer, sha1)) {
                    mine.set(piece);
                }
                report(geometry.pieceSize(piece), progress);
            }
        } catch (ClosedChannelException e) {
            if (!Thread.currentThread().isInterrupted()) {
                fail(e, siblings);
            } // else stopped by the caller or by a failing sibling: not a failure of its own
        } catch (IOException | RuntimeException | Error e) {
            fail(e, siblings);
        }
    }

    private void fail(Throwable e, List<Thread> siblings) {
        if (failure.compareAndSet(null, e)) {
            siblings.forEach(Thread::interrupt);
        }
    }

    /** Whether every stored byte of {@code piece} lies within the files as they are now. */
    private boolean onDisk(int piece, long[] sizes) {
        for (FileLayout.Segment s : storage.layout().segments(geometry.pieceOffset(piece), geometry.pieceSize(piece))) {
            if (!s.padding() && sizes[s.file()] < s.fileOffset() + s.length()) {
                return false;
            }
        }
        return true;
    }

    private long[] fileSizes() {
        long[] sizes = new long[storage.layout().files().size()];
        for (int i = 0; i < sizes.length; i++) {
            FileEntry f = storage.layout().files().get(i);
            sizes[i] = f.padding() || f.length() == 0 ? 0 : storage.files().size(i);
        }
        return sizes;
    }

    // Serialized so that the listener sees one call at a time and never a smaller number.
    private void report(int bytes, ProgressListener progress) {
        long done = bytesChecked.addAndGet(bytes);
        progressLock.lock();
        try {
            if (done > bytesReported) {
                bytesReported = done;
                progress.progress(done, geometry.totalLength());
            }
        } finally {
            progressLock.unlock();
        }
    }

    /** Interrupts whatever still runs and waits for it to end, keeping this thread's interrupt. */
    private static void stopAndWait(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrowFailure() throws IOException {
        switch (failure.get()) {
            case null -> {}
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure.get());
        }
    }
}
