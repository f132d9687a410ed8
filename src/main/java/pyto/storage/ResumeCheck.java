package pyto.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import pyto.concurrent.Workers;
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
 * <p>Runs on the caller's thread, which starts the workers ({@link Workers}) and joins them
 * before returning, whatever happens: a failing worker stops its siblings, and an interrupt of
 * the caller stops them all and ends the check with {@code InterruptedException}.
 */
final class ResumeCheck {

    private final Storage storage;
    private final PieceGeometry geometry;
    private final ReentrantLock progressLock = new ReentrantLock();
    private final AtomicLong bytesChecked = new AtomicLong();
    private final AtomicInteger nextPiece = new AtomicInteger();
    private long bytesReported; // guarded by progressLock

    ResumeCheck(Storage storage) {
        this.storage = storage;
        this.geometry = storage.geometry();
    }

    CheckResult run(ProgressListener progress) throws IOException, InterruptedException {
        long[] sizes = fileSizes();
        int workers = Workers.forParts(geometry.pieceCount());
        BitSet[] found = new BitSet[workers];
        Workers.run("check", workers, w -> {
            found[w] = new BitSet(geometry.pieceCount());
            work(sizes, found[w], progress);
        });
        BitSet verified = new BitSet(geometry.pieceCount());
        for (BitSet mine : found) {
            verified.or(mine);
        }
        return new CheckResult(verified, geometry.pieceCount());
    }

    private void work(long[] sizes, BitSet mine, ProgressListener progress) throws IOException {
        byte[] buffer = new byte[Storage.CHUNK];
        MessageDigest sha1 = Storage.sha1();
        int piece;
        while ((piece = nextPiece.getAndIncrement()) < geometry.pieceCount()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("resume check interrupted");
            }
            if (onDisk(piece, sizes) && storage.verifyPiece(piece, buffer, sha1)) {
                mine.set(piece);
            }
            report(geometry.pieceSize(piece), progress);
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
}
