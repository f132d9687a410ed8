package pyto.tracker;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one tier's tracker is doing, for the progress display: which URL, whether it works, what it
 * last said and when we will ask again. An immutable snapshot, published by the {@link Announcer}.
 *
 * @param url the tracker currently used (or being tried) in the tier
 * @param error why the last announce failed, while {@code state} is ERROR
 * @param nextAnnounce when the next announce is due, unless the announcer is idle
 * @param seeders the tracker's last {@code complete} count
 * @param leechers the tracker's last {@code incomplete} count
 * @param peersReceived how many peers its last successful reply held
 * @param warning the tracker's last {@code warning message}
 */
public record TrackerStatus(
        String url,
        State state,
        Optional<String> error,
        Optional<Instant> nextAnnounce,
        OptionalInt seeders,
        OptionalInt leechers,
        int peersReceived,
        Optional<String> warning) {

    public enum State {
        /** Not announcing: not started yet, or stopped. */
        IDLE,
        /** An announce is on its way. */
        UPDATING,
        /** The last announce worked. */
        WORKING,
        /** The last announce failed on every URL of the tier; see {@code error}. */
        ERROR
    }

    static TrackerStatus idle(String url) {
        return new TrackerStatus(url, State.IDLE, Optional.empty(), Optional.empty(),
                OptionalInt.empty(), OptionalInt.empty(), 0, Optional.empty());
    }

    TrackerStatus with(String newUrl, State newState) {
        return new TrackerStatus(newUrl, newState, newState == State.ERROR ? error : Optional.empty(),
                nextAnnounce, seeders, leechers, peersReceived, warning);
    }

    TrackerStatus withNextAnnounce(Optional<Instant> next) {
        return new TrackerStatus(url, state, error, next, seeders, leechers, peersReceived, warning);
    }
}
