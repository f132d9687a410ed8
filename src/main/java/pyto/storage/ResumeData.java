package pyto.storage;

import java.util.List;
import pyto.piece.Bitfield;

/**
 * What a torrent knew about its data when it was last saved, so that a later start need not
 * hash what has not changed since: which pieces were verified (BEP 3: a piece counts once its
 * SHA-1 matches), and the size and modification time of each of its files at that moment.
 *
 * <p>A start trusts a piece only if every file it touches still has the size and time recorded
 * here ({@link Storage#check(ResumeData, ProgressListener)}); pieces in a file that changed are
 * hashed again, and a file that is gone takes its pieces with it. Taken in this order (the
 * verified pieces first, then the files flushed to disk, then their times read), every piece
 * counted here was on disk before its file's time was read: a file that still shows that time
 * holds it. An immutable value; any thread.
 *
 * @param verified the pieces verified when the data was taken
 * @param files    one stamp per file of the torrent, in the metainfo's order (pad files too)
 */
public record ResumeData(Bitfield verified, List<FileStamp> files) {

    /**
     * A file's size and last-modified time, in nanoseconds since the epoch, as the file system
     * reports them; {@link #MISSING} for a file that is not there (or is not a regular file).
     */
    public record FileStamp(long size, long modifiedNanos) {

        public static final FileStamp MISSING = new FileStamp(-1, 0);

        public boolean missing() {
            return size < 0;
        }
    }

    public ResumeData {
        verified = verified.copy();
        files = List.copyOf(files);
    }

    @Override
    public Bitfield verified() {
        return verified.copy();
    }

    /** Whether this data was taken of a torrent of {@code pieceCount} pieces in {@code fileCount} files. */
    public boolean fits(int pieceCount, int fileCount) {
        return verified.pieceCount() == pieceCount && files.size() == fileCount;
    }
}
