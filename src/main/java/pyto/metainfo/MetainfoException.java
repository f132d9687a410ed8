package pyto.metainfo;

import java.io.IOException;

/** A torrent file, info dictionary or magnet link that pyto cannot or will not use; the message says why, in plain words. */
public final class MetainfoException extends IOException {

    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
