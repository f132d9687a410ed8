package pyto.storage;

import java.io.IOException;

/**
 * A file that a range needs does not exist or ends too early. {@link Storage#readBlock} passes
 * it on (we cannot serve what is not on disk); hashing treats it as "piece not there".
 */
final class MissingDataException extends IOException {

    MissingDataException(String message) {
        super(message);
    }
}
