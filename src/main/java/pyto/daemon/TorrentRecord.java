package pyto.daemon;

import java.nio.file.Path;
import pyto.metainfo.InfoHash;

/**
 * What the daemon keeps of one torrent across restarts besides its metainfo and resume data:
 * where it goes, whether the user paused it, its limits and ratio goal, its dates and the
 * bytes it moved in earlier runs. Saved by {@link StateStore}; an immutable value, replaced
 * whole when something changes.
 *
 * @param magnetLink       the link it was added by, or the torrent's own: the name and peers
 *                         before the metadata arrives, and {@code x.pe} peers on every start
 * @param paused           stopped by the user (or by reaching its ratio goal): not started at load
 * @param limits           the per-torrent limits, kB/s (1000 bytes) as Transmission counts them
 * @param ratioLimit       the ratio goal when {@code ratioMode} is {@link #RATIO_OWN}
 * @param ratioMode        {@link #RATIO_GLOBAL}, {@link #RATIO_OWN} or {@link #RATIO_UNLIMITED} (Transmission's)
 * @param addedDate        seconds since the epoch
 * @param doneDate         when it completed, in seconds since the epoch; 0 until then
 * @param uploadedBefore   payload bytes uploaded in earlier runs (this run's come from the session)
 * @param downloadedBefore likewise downloaded
 * @param finished         stopped because it reached its ratio goal
 */
public record TorrentRecord(InfoHash infoHash, String magnetLink, Path downloadDir, boolean paused, Limits limits,
                            double ratioLimit, int ratioMode, long addedDate, long doneDate, long uploadedBefore,
                            long downloadedBefore, long secondsDownloading, long secondsSeeding, boolean finished) {

    public static final int RATIO_GLOBAL = 0;
    public static final int RATIO_OWN = 1;
    public static final int RATIO_UNLIMITED = 2;

    /** Speed limits in kB/s (1000 bytes a second), each with its switch, as Transmission keeps them. */
    public record Limits(long downKBps, boolean downLimited, long upKBps, boolean upLimited) {
        public static final Limits NONE = new Limits(100, false, 100, false);

        public long downBytesPerSecond() {
            return downLimited ? downKBps * 1000 : 0;
        }

        public long upBytesPerSecond() {
            return upLimited ? upKBps * 1000 : 0;
        }
    }

    /** A torrent just added. */
    static TorrentRecord added(InfoHash infoHash, String magnetLink, Path downloadDir, boolean paused, long now) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, paused, Limits.NONE, 2.0, RATIO_GLOBAL, now, 0,
                0, 0, 0, 0, false);
    }

    TorrentRecord withPaused(boolean p) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, p, limits, ratioLimit, ratioMode, addedDate,
                doneDate, uploadedBefore, downloadedBefore, secondsDownloading, secondsSeeding, p && finished);
    }

    TorrentRecord withLimits(Limits l) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, paused, l, ratioLimit, ratioMode, addedDate,
                doneDate, uploadedBefore, downloadedBefore, secondsDownloading, secondsSeeding, finished);
    }

    TorrentRecord withRatio(double limit, int mode) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, paused, limits, limit, mode, addedDate,
                doneDate, uploadedBefore, downloadedBefore, secondsDownloading, secondsSeeding, finished);
    }

    TorrentRecord withDone(long date) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, paused, limits, ratioLimit, ratioMode, addedDate,
                date, uploadedBefore, downloadedBefore, secondsDownloading, secondsSeeding, finished);
    }

    /** Stopped at its ratio goal. */
    TorrentRecord withFinished() {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, true, limits, ratioLimit, ratioMode, addedDate,
                doneDate, uploadedBefore, downloadedBefore, secondsDownloading, secondsSeeding, true);
    }

    /** Bytes a run moved, folded in when that run's counters are about to start from zero again. */
    TorrentRecord plusTransferred(long uploaded, long downloaded) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, paused, limits, ratioLimit, ratioMode, addedDate,
                doneDate, uploadedBefore + uploaded, downloadedBefore + downloaded, secondsDownloading, secondsSeeding,
                finished);
    }

    TorrentRecord plusSeconds(long downloading, long seeding) {
        return new TorrentRecord(infoHash, magnetLink, downloadDir, paused, limits, ratioLimit, ratioMode, addedDate,
                doneDate, uploadedBefore, downloadedBefore, secondsDownloading + downloading, secondsSeeding + seeding,
                finished);
    }
}
