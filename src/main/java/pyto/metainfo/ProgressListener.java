package pyto.metainfo;

/**
 * Told how far {@link TorrentCreator} has got with hashing. It is called from the hashing
 * threads, one call at a time and in order (bytesDone only grows), after each piece; keep it
 * quick, since the next piece's report waits for it.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (bytesDone, bytesTotal) -> { };

    void hashed(long bytesDone, long bytesTotal);
}
