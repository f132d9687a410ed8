package pyto.metainfo;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Workers;
import pyto.metainfo.SourceFiles.SourceFile;

/**
 * Computes the SHA-1 of every piece of new content (BEP 3) on all cores.
 *
 * <p>The pieces are cut into one contiguous run per processor, and each run is hashed on its own
 * virtual thread ({@link Workers}) with its own {@link ContentReader}: runs share
 * nothing but the array of results, where each writes only its own slots. Virtual threads do
 * CPU work well enough here; the JDK runs them on one carrier per processor. The first failure
 * (an unreadable file) cancels the other runs.
 */
final class PieceHasher {

    /** Read a piece in slices of at most this much, so that a 512 MiB piece needs no 512 MiB buffer. */
    private static final int READ_SIZE = 1024 * 1024;

    private PieceHasher() {
    }

    /** The concatenated piece hashes of {@code files} laid end to end, as the info dictionary's {@code pieces}. */
    static byte[] hash(List<SourceFile> files, long totalLength, int pieceLength, ProgressListener listener)
            throws IOException {
        int pieceCount = Math.toIntExact(Math.ceilDiv(totalLength, pieceLength));
        byte[] hashes = new byte[Math.multiplyExact(pieceCount, PieceHashes.HASH_LENGTH)];
        int runs = Workers.forParts(pieceCount);
        Progress progress = new Progress(totalLength, listener);
        try {
            Workers.run("hash", runs, run -> {
                int from = (int) ((long) pieceCount * run / runs);
                int to = (int) ((long) pieceCount * (run + 1) / runs);
                hashRun(files, totalLength, pieceLength, from, to, hashes, progress);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
        return hashes;
    }

    /** Hashes pieces {@code [from, to)} into their slots of {@code hashes}. */
    private static void hashRun(List<SourceFile> files, long totalLength, int pieceLength, int from, int to,
                                byte[] hashes, Progress progress) throws IOException {
        MessageDigest sha1 = Sha1.newDigest();
        // Direct, so the positional reads need no temporary copy.
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.min(pieceLength, READ_SIZE));
        try (ContentReader reader = new ContentReader(files, (long) from * pieceLength)) {
            for (int piece = from; piece < to; piece++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("hashing cancelled");
                }
                long size = Math.min(pieceLength, totalLength - (long) piece * pieceLength);
                for (long left = size; left > 0; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                    reader.readFully(buffer);
                    buffer.flip();
                    left -= buffer.remaining();
                    sha1.update(buffer);
                }
                System.arraycopy(sha1.digest(), 0, hashes, piece * PieceHashes.HASH_LENGTH, PieceHashes.HASH_LENGTH);
                progress.add(size);
            }
        }
    }

    /** Bytes hashed so far; reports them under a lock so the listener sees them in order. */
    private static final class Progress {
        private final ReentrantLock lock = new ReentrantLock();
        private final long total;
        private final ProgressListener listener;
        private long done;

        Progress(long total, ProgressListener listener) {
            this.total = total;
            this.listener = listener;
        }

        void add(long bytes) {
            lock.lock();
            try {
                done += bytes;
                listener.hashed(done, total);
            } finally {
                lock.unlock();
            }
        }
    }
}
