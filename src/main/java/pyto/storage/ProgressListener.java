package pyto.storage;

/**
 * Told how far a long disk job (the resume check) has come. Called from the checking threads,
 * one call at a time, with {@code bytesDone} never going down; keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (bytesDone, bytesTotal) -> {};

    void progress(long bytesDone, long bytesTotal);
}
