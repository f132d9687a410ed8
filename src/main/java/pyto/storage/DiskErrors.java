package pyto.storage;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Turns the JDK's I/O exceptions into one plain line that names the file and says what went
 * wrong ("No space left on device writing /dl/x.iso"), so a session can show it and stop the
 * torrent. The JDK's own messages are often just a path (an {@code AccessDeniedException}
 * says "/dl/x.iso" and nothing else) or just a reason ("No space left on device").
 */
final class DiskErrors {

    private DiskErrors() {}

    /**
     * A clear exception for {@code e}, which happened while {@code doing} (e.g. "writing")
     * {@code path}. Exceptions that are already clear, and channel closures that the caller
     * must see as they are (they mean "interrupted" or "retry"), pass through unchanged.
     */
    static IOException describe(IOException e, String doing, Path path) {
        if (e instanceof UnsafePathException || e instanceof MissingDataException
                || e instanceof ClosedChannelException) {
            return e;
        }
        return new IOException(reason(e) + " " + doing + " " + path, e);
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return switch (e) {
            case AccessDeniedException a -> "Permission denied";
            case NoSuchFileException n -> "No such file or directory";
            case FileAlreadyExistsException f -> "A file is in the way (" + f.getFile() + ")";
            case NotDirectoryException n -> "Not a directory (" + n.getFile() + ")";
            case FileSystemException f -> "File system error (" + f.getFile() + ")";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
