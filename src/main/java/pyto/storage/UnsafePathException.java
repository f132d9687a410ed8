package pyto.storage;

import java.io.IOException;

/**
 * A target path that would leave the download directory, lexically or through a symbolic
 * link. Storage refuses to open it; the message names the path.
 */
final class UnsafePathException extends IOException {

    UnsafePathException(String message) {
        super(message);
    }
}
