package pyto.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import pyto.concurrent.Workers;
import pyto.piece.Bitfield;
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
 * <p>With a saved {@link ResumeData}, a piece whose files all still carry the size and
 * modification time recorded there is not read at all: it counts as the data says (and only
 * if the files hold its bytes). Only the pieces that touch a file that changed are hashed.
 *
 * <p>Runs on the caller's thread, which starts the workers ({@link Workers}) and joins them
 * before returning, whatever happens: a failing worker stops its siblings, and an interrupt of
 * the caller stops them all and ends the check with {@code InterruptedException}.
 */
final class ResumeCheck {

    private static final System.Logger LOG = System.getLogger(ResumeCheck.class.getName());

    private final Storage storage;
    private final PieceGeometry geometry;
    private final ReentrantLock progressLock = new ReentrantLock();
    private final AtomicLong bytesChecked = new AtomicLong();
    private final AtomicInteger nextPiece = new AtomicInteger();
    private final AtomicInteger trustedPieces = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();
    private final ResumeData trusted;      // null: check everything
    private final Bitfield trustedPieceSet; // trusted's pieces, copied once; only read
    private long bytesReported; // guarded by progressLock

    ResumeCheck(Storage storage) {
        this(storage, null);
    }

    /** @param trusted what a saved state says, or null to hash every piece that is on disk */
    ResumeCheck(Storage storage, ResumeData trusted) {
        this.storage = storage;
        this.geometry = storage.geometry();
        this.trusted = trusted != null && trusted.fits(geometry.pieceCount(), storage.layout().files().size())
                ? trusted : null;
        this.trustedPieceSet = this.trusted == null ? null : this.trusted.verified();
        if (trusted != null && this.trusted == null) {
            LOG.log(System.Logger.Level.WARNING, "resume data of another shape ignored: checking every piece");
        }
    }

    CheckResult run(ProgressListener progress) throws IOException, InterruptedException {
        List<ResumeData.FileStamp> now = storage.stamps();
        long[] sizes = new long[now.size()];
        boolean[] unchanged = new boolean[now.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.max(0, now.get(i).size());
            unchanged[i] = trusted != null && now.get(i).equals(trusted.files().get(i));
        }
        int workers = Workers.forParts(geometry.pieceCount());
        BitSet[] found = new BitSet[workers];
        Workers.run("check", workers, w -> {
            found[w] = new BitSet(geometry.pieceCount());
            work(sizes, unchanged, found[w], progress);
        });
        BitSet verified = new BitSet(geometry.pieceCount());
        for (BitSet mine : found) {
            verified.or(mine);
        }
        if (trusted != null) {
            LOG.log(System.Logger.Level.INFO, "{0}: {1} pieces taken from the resume data unread, {2} checked ({3} bytes read)",
                    storage.location().getFileName(), trustedPieces.get(),
                    geometry.pieceCount() - trustedPieces.get(), bytesRead.get());
        }
        return new CheckResult(verified, geometry.pieceCount());
    }

    private void work(long[] sizes, boolean[] unchanged, BitSet mine, ProgressListener progress) throws IOException {
        byte[] buffer = new byte[Storage.CHUNK];
        MessageDigest sha1 = Storage.sha1();
        int piece;
        while ((piece = nextPiece.getAndIncrement()) < geometry.pieceCount()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("resume check interrupted");
            }
            if (inUnchangedFiles(piece, unchanged)) {
                trustedPieces.incrementAndGet();
                if (trustedPieceSet.get(piece) && onDisk(piece, sizes)) {
                    mine.set(piece);
                }
            } else if (onDisk(piece, sizes)) {
                bytesRead.addAndGet(geometry.pieceSize(piece));
                if (storage.verifyPiece(piece, buffer, sha1)) {
                    mine.set(piece);
                }
            }
            report(geometry.pieceSize(piece), progress);
        }
    }

    /** Whether every file {@code piece} has bytes in still has the size and time the resume data recorded. */
    private boolean inUnchangedFiles(int piece, boolean[] unchanged) {
        if (trusted == null) {
            return false;
        }
        for (FileLayout.Segment s : storage.layout().segments(geometry.pieceOffset(piece), geometry.pieceSize(piece))) {
            if (!s.padding() && !unchanged[s.file()]) {
                return false;
            }
        }
        return true;
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
