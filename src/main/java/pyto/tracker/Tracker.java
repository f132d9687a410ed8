package pyto.tracker;

import java.io.IOException;
import java.time.Duration;
import pyto.metainfo.InfoHash;

/**
 * One tracker URL, whatever its protocol: HTTP(S) ({@link HttpTracker}, BEP 3) or UDP
 * ({@link UdpTracker}, BEP 15). Callers get one from {@link Trackers#forUrl} and never see which it is.
 *
 * <p>Calls block the calling thread (a virtual thread: the {@link Announcer}'s) until the
 * tracker answers or a timeout expires. An implementation may keep state between calls, such
 * as the tracker id an HTTP tracker hands out or a BEP 15 connection id, so one instance
 * belongs to one torrent.
 */
public interface Tracker {

    /**
     * Announces and returns the tracker's answer.
     *
     * @throws TrackerException when the tracker answers with a failure reason or with something malformed
     * @throws IOException when it cannot be reached or does not answer in time
     */
    AnnounceResponse announce(AnnounceRequest request) throws IOException;

    /**
     * Announces within {@code budget} in all, however the tracker behaves: used for the
     * best-effort {@code stopped} announce on the way out, which must not hold up a shutdown.
     * The default ignores the budget; implementations whose timeouts can be bounded override it.
     */
    default AnnounceResponse announce(AnnounceRequest request, Duration budget) throws IOException {
        return announce(request);
    }

    /**
     * Asks for the tracker's numbers on one torrent (BEP 48).
     *
     * @throws IOException also when this tracker does not support scraping
     */
    ScrapeResponse scrape(InfoHash infoHash) throws IOException;

    /** The announce URL, for logs and the progress display. */
    String url();
}
