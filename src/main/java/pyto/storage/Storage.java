package pyto.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import pyto.metainfo.FileEntry;
import pyto.metainfo.Metainfo;
import pyto.piece.PieceGeometry;

/**
 * A torrent's bytes on disk (BEP 3): blocks of pieces written to and read from the files they
 * fall in, with positional {@code FileChannel} I/O so that any number of threads can read and
 * write at once without sharing a file position. BEP 47 pad files read as zeros and are never
 * written. Files are created when first written, never preallocated (sparse is fine), and
 * never outside the download directory ({@link SafeFiles}).
 *
 * <p>Thread-safe: peer threads store and serve blocks, hashing threads read pieces, all at the
 * same time. Open files are shared through {@link FileHandles}, which also survives the
 * channel closures that interrupting a peer's thread causes.
 */
public final class Storage implements AutoCloseable {

    /** Hashing reads a piece this much at a time, so a 16 MiB piece needs no 16 MiB buffer. */
    static final int CHUNK = 128 * 1024;

    static final int MAX_OPEN_FILES = 64;

    private final Metainfo metainfo;
    private final PieceGeometry geometry;
    private final FileLayout layout;
    private final SafeFiles files;
    private final FileHandles handles;

    /** A storage for {@code metainfo} below {@code downloadDir}; touches nothing on disk yet. */
    public Storage(Metainfo metainfo, Path downloadDir) throws IOException {
        this(metainfo, downloadDir, MAX_OPEN_FILES);
    }

    Storage(Metainfo metainfo, Path downloadDir, int maxOpenFiles) throws IOException {
        this.metainfo = metainfo;
        this.geometry = PieceGeometry.of(metainfo);
        this.layout = new FileLayout(metainfo.files());
        if (layout.totalLength() != metainfo.totalLength() || geometry.pieceCount() != metainfo.pieceCount()) {
            throw new IllegalArgumentException("files add up to " + layout.totalLength() + " bytes in "
                    + geometry.pieceCount() + " pieces, metainfo says " + metainfo.totalLength()
                    + " bytes and " + metainfo.pieceCount() + " piece hashes");
        }
        this.files = new SafeFiles(metainfo, downloadDir);
        this.handles = new FileHandles(files, maxOpenFiles);
    }

    /** The file (single-file torrent) or directory (multi-file) that holds the torrent's data. */
    public Path location() {
        return files.location();
    }

    /** Writes {@code len} bytes of {@code data} from {@code off} at {@code begin} in {@code piece}. */
    public void writeBlock(int piece, int begin, byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        write(piece, begin, ByteBuffer.wrap(data, off, len));
    }

    /**
     * Writes the bytes {@code src} has remaining at {@code begin} in {@code piece}; its
     * position does not move. A direct buffer spares the JDK a copy into one of its own.
     */
    public void write(int piece, int begin, ByteBuffer src) throws IOException {
        int from = src.position();
        int len = src.remaining();
        for (FileLayout.Segment s : layout.segments(streamOffset(piece, begin, len), len)) {
            if (s.padding()) {
                continue; // BEP 47: zeros by definition, never stored
            }
            handles.markDirty(s.file());
            handles.withChannel(s.file(), true, channel ->
                    writeFully(channel, src.slice(from + s.rangeOffset(), s.length()), s));
            // Again once written: a flush that ran during the write cleared the mark, and a
            // piece verified after this write must still reach the disk at the next flush.
            handles.markDirty(s.file());
        }
    }

    /**
     * Reads {@code len} bytes at {@code begin} in {@code piece} into {@code dst} from {@code off};
     * returns {@code len}. A file that is missing or too short is an {@code IOException}.
     */
    public int readBlock(int piece, int begin, byte[] dst, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        read(streamOffset(piece, begin, len), dst, off, len);
        return len;
    }

    /** Whether {@code piece} is on disk with the SHA-1 the metainfo gives; missing files mean no. */
    public boolean verifyPiece(int piece) throws IOException {
        return verifyPiece(piece, Map.of(), new byte[CHUNK], sha1());
    }

    /** {@link #verifyPiece(int)} with a caller's buffer and digest, reused across pieces. */
    boolean verifyPiece(int piece, byte[] buffer, MessageDigest sha1) throws IOException {
        return verifyPiece(piece, Map.of(), buffer, sha1);
    }

    /**
     * Whether {@code piece} matches its hash, taking the blocks in {@code inMemory} (by their
     * offset in the piece) from there and reading only the rest from disk.
     */
    public boolean verifyPiece(int piece, Map<Integer, byte[]> inMemory) throws IOException {
        int unread = geometry.pieceSize(piece) - inMemory.values().stream().mapToInt(b -> b.length).sum();
        return verifyPiece(piece, inMemory, new byte[Math.clamp(unread, 1, CHUNK)], sha1());
    }

    private boolean verifyPiece(int piece, Map<Integer, byte[]> inMemory, byte[] buffer, MessageDigest sha1)
            throws IOException {
        sha1.reset();
        long start = streamOffset(piece, 0, 0);
        int size = geometry.pieceSize(piece);
        try {
            for (int done = 0; done < size; ) {
                byte[] block = inMemory.get(done);
                if (block != null) {
                    sha1.update(block);
                    done += block.length;
                    continue;
                }
                // Read from disk up to the next block in memory, a buffer's worth at most.
                int end = Math.min(size, done + PieceGeometry.BLOCK_SIZE);
                while (end < size && end - done < buffer.length && !inMemory.containsKey(end)) {
                    end = Math.min(size, end + PieceGeometry.BLOCK_SIZE);
                }
                int n = Math.min(end - done, buffer.length);
                read(start + done, buffer, 0, n);
                sha1.update(buffer, 0, n);
                done += n;
            }
        } catch (MissingDataException e) {
            return false;
        }
        return metainfo.pieces().matches(piece, sha1.digest());
    }

    /**
     * The resume check: which pieces are already complete on disk. Pieces whose files are
     * missing or too short are skipped unread; the rest are hashed on all cores.
     *
     * @throws InterruptedException if this thread is interrupted; the check stops cleanly
     */
    public CheckResult check(ProgressListener progress) throws IOException, InterruptedException {
        return new ResumeCheck(this).run(progress);
    }

    /**
     * The resume check with what a saved state says ({@link ResumeData}): a piece whose files
     * all still have the size and modification time recorded there is taken as the data says,
     * without reading it; the pieces that touch a file that changed are hashed again, and a
     * file that is gone means its pieces are missing. Data of another shape (another piece or
     * file count) is ignored and everything is checked.
     *
     * @throws InterruptedException if this thread is interrupted; the check stops cleanly
     */
    public CheckResult check(ResumeData trusted, ProgressListener progress) throws IOException, InterruptedException {
        return new ResumeCheck(this, trusted).run(progress);
    }

    /**
     * The size and modification time of every file, in the metainfo's order ({@link
     * ResumeData.FileStamp#MISSING} for one not there): what a {@link ResumeData} records.
     * Touches nothing; any thread.
     */
    public List<ResumeData.FileStamp> stamps() {
        List<ResumeData.FileStamp> stamps = new ArrayList<>(layout.files().size());
        for (int i = 0; i < layout.files().size(); i++) {
            stamps.add(layout.files().get(i).padding() ? ResumeData.FileStamp.MISSING : files.stamp(i));
        }
        return stamps;
    }

    /**
     * Called when the download is complete: creates the zero-length files the torrent lists
     * (they hold no bytes of any piece, so nothing else creates them; a user expects to see
     * them). Nothing is forced to disk here: every piece is already in the files, the kernel
     * writes them back within seconds, and a start after a crash checks every piece anyway;
     * waiting for a whole download to reach the disk would only delay the end.
     */
    public void finish() throws IOException {
        List<FileEntry> all = layout.files();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).length() == 0 && !all.get(i).padding()) {
                handles.withChannel(i, true, channel -> {}); // opening for writing creates it
            }
        }
    }

    /**
     * Forces every file written since the last flush to disk: when an unfinished download
     * stops, so that what it verified survives a crash and is not fetched again.
     */
    public void flush() throws IOException {
        handles.force();
    }

    /** Closes every open file. Does not flush. */
    @Override
    public void close() {
        handles.close();
    }

    PieceGeometry geometry() {
        return geometry;
    }

    FileLayout layout() {
        return layout;
    }

    SafeFiles files() {
        return files;
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private long streamOffset(int piece, int begin, int len) {
        if (piece < 0 || piece >= geometry.pieceCount() || begin < 0 || len < 0
                || (long) begin + len > geometry.pieceSize(piece)) {
            throw new IllegalArgumentException("no bytes " + begin + "+" + len + " in piece " + piece
                    + " of " + geometry.pieceCount());
        }
        return geometry.pieceOffset(piece) + begin;
    }

    private void read(long offset, byte[] dst, int off, int len) throws IOException {
        for (FileLayout.Segment s : layout.segments(offset, len)) {
            int at = off + s.rangeOffset();
            if (s.padding()) {
                Arrays.fill(dst, at, at + s.length(), (byte) 0);
            } else {
                handles.withChannel(s.file(), false, channel ->
                        readFully(channel, ByteBuffer.wrap(dst, at, s.length()), s));
            }
        }
    }

    // Positional I/O may transfer fewer bytes than asked; loop until the segment is done.
    // The buffer is made inside the retried operation, so a retry starts from the beginning.

    private void writeFully(FileChannel channel, ByteBuffer src, FileLayout.Segment s) throws IOException {
        try {
            long position = s.fileOffset();
            while (src.hasRemaining()) {
                position += channel.write(src, position);
            }
        } catch (IOException e) { // a channel closure passes through unchanged
            throw DiskErrors.describe(e, "writing", files.path(s.file()));
        }
    }

    private void readFully(FileChannel channel, ByteBuffer dst, FileLayout.Segment s) throws IOException {
        try {
            long position = s.fileOffset();
            while (dst.hasRemaining()) {
                int n = channel.read(dst, position);
                if (n < 0) {
                    throw new MissingDataException("File too short: " + files.path(s.file()) + " ends before byte "
                            + (s.fileOffset() + s.length()));
                }
                position += n;
            }
        } catch (IOException e) { // a channel closure passes through unchanged
            throw DiskErrors.describe(e, "reading", files.path(s.file()));
        }
    }
}
