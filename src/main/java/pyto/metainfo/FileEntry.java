package pyto.metainfo;

import java.util.List;

/**
 * One file of a torrent: its path below the download directory (one string per component,
 * already checked to be safe), its length, and where it starts in the torrent's byte stream.
 *
 * <p>Pieces run across file boundaries: the torrent's content is the files laid end to end
 * in order, and {@code offset} is this file's place in that stream. A BEP 47 pad file
 * ({@code padding}) fills space so the next file starts on a piece boundary; it takes part in
 * the piece hashes as zeros but is never written to disk.
 */
public record FileEntry(List<String> path, long length, long offset, boolean padding) {

    public FileEntry {
        path = List.copyOf(path);
    }

    /** The path joined with '/', for display. */
    public String displayPath() {
        return String.join("/", path);
    }

    /** The first byte after this file in the torrent's byte stream. */
    public long end() {
        return offset + length;
    }
}
