package pyto.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import pyto.metainfo.FileEntry;

/**
 * Where a range of the torrent's byte stream lies on disk (BEP 3): the files laid end to end,
 * so one range (a block, a piece) may cover the end of one file, a few whole files and the
 * start of another. BEP 47 pad files are marked so that callers read them as zeros and never
 * write them; zero-length files hold no bytes of the stream and no range ever touches them.
 *
 * <p>Immutable; any thread.
 */
final class FileLayout {

    /**
     * The part of a range that falls in one file.
     *
     * @param file        index into the torrent's file list
     * @param fileOffset  where the part starts in that file (64-bit: files may exceed 4 GiB)
     * @param length      how many bytes
     * @param rangeOffset where the part starts within the requested range
     * @param padding     whether the file is a BEP 47 pad file (zeros, never on disk)
     */
    record Segment(int file, long fileOffset, int length, int rangeOffset, boolean padding) {}

    private final List<FileEntry> files;
    private final long totalLength;
    // Only the files that hold bytes, so that starts[] is strictly increasing and a binary
    // search lands on exactly one file; fileIndex[k] maps back to the torrent's file list.
    private final int[] fileIndex;
    private final long[] starts;

    FileLayout(List<FileEntry> files) {
        this.files = List.copyOf(files);
        int nonEmpty = (int) this.files.stream().filter(f -> f.length() > 0).count();
        fileIndex = new int[nonEmpty];
        starts = new long[nonEmpty];
        long expected = 0;
        int k = 0;
        for (int i = 0; i < this.files.size(); i++) {
            FileEntry f = this.files.get(i);
            if (f.offset() != expected || f.length() < 0) {
                throw new IllegalArgumentException("file " + f.displayPath() + " is at " + f.offset()
                        + " with length " + f.length() + ", expected offset " + expected);
            }
            if (f.length() > 0) {
                fileIndex[k] = i;
                starts[k] = f.offset();
                k++;
            }
            expected = f.end();
        }
        totalLength = expected;
    }

    long totalLength() {
        return totalLength;
    }

    List<FileEntry> files() {
        return files;
    }

    /** The segments covering {@code [offset, offset + length)}, in stream order. */
    List<Segment> segments(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > totalLength) {
            throw new IllegalArgumentException("range " + offset + "+" + length
                    + " is outside the torrent's " + totalLength + " bytes");
        }
        List<Segment> result = new ArrayList<>(2);
        if (length == 0) {
            return result;
        }
        int k = Arrays.binarySearch(starts, offset);
        if (k < 0) {
            k = -k - 2; // the last file starting before offset
        }
        int done = 0;
        while (done < length) {
            FileEntry f = files.get(fileIndex[k]);
            long inFile = offset + done - starts[k];
            int n = (int) Math.min(length - done, f.length() - inFile);
            result.add(new Segment(fileIndex[k], inFile, n, done, f.padding()));
            done += n;
            k++;
        }
        return result;
    }
}
