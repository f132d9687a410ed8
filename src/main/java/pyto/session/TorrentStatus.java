package pyto.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import pyto.metainfo.InfoHash;
import pyto.tracker.TrackerStatus;

/**
 * A snapshot of one torrent for the progress display and for programs that drive a session.
 *
 * @param completedBytes  bytes of verified pieces
 * @param checkedBytes    while checking: how far the check of existing data has come
 * @param downloaded      payload bytes received this session (all peers)
 * @param uploaded        payload bytes sent this session
 * @param peers           connected peers
 * @param knownPeers      addresses heard of (trackers, --peer, incoming)
 * @param eta             time to completion at the current rate, when downloading and moving
 * @param error           why the torrent failed, when it did
 */
public record TorrentStatus(
        String name,
        InfoHash infoHash,
        Torrent.State state,
        long totalBytes,
        long completedBytes,
        long checkedBytes,
        double downloadRate,
        double uploadRate,
        long downloaded,
        long uploaded,
        int peers,
        int knownPeers,
        Optional<Duration> eta,
        List<TrackerStatus> trackers,
        Optional<String> error,
        long wastedBytes,
        long hashFailures) {

    public boolean isComplete() {
        return completedBytes == totalBytes;
    }

    /** Uploaded divided by the torrent's size. */
    public double ratio() {
        return totalBytes == 0 ? 0 : (double) uploaded / totalBytes;
    }
}
