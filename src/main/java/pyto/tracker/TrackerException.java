package pyto.tracker;

import java.io.IOException;

/**
 * A tracker said no, or said something we cannot use. For a {@code failure reason} (BEP 3) the
 * message is the tracker's own words; for a malformed reply it says what was wrong with it.
 * It is an {@link IOException} because to the announcer both are the same thing: this tracker
 * did not work this time, try the next one or try again later.
 */
public final class TrackerException extends IOException {

    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
