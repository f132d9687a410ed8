package pyto.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import pyto.metainfo.InfoHash;
import pyto.peer.Swarm;
import pyto.tracker.TrackerStatus;

/**
 * A snapshot of one torrent for the progress display and for programs that drive a session.
 *
 * @param totalBytes      the torrent's size; 0 while its metadata is not known
 * @param completedBytes  bytes of verified pieces
 * @param checkedBytes    while checking: how far the check of existing data has come
 * @param downloaded      payload bytes received this session (all peers)
 * @param uploaded        payload bytes sent this session
 * @param peers           connected peers
 * @param knownPeers      addresses heard of (trackers, --peer, incoming)
 * @param eta             time to completion at the current rate, when downloading and moving
 * @param error           why the torrent failed, when it did
 * @param metadataSources while fetching the metadata (BEP 9): connected peers that offer it
 * @param dhtNodes        good nodes in the session's DHT routing table (BEP 5); -1 without a DHT
 * @param dhtPeers        peers the DHT gave this torrent
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
        long hashFailures,
        int metadataSources,
        int dhtNodes,
        int dhtPeers) {

    /** A snapshot of a torrent's parts; {@code content} is null while the metadata is not known. */
    static TorrentStatus of(String name, InfoHash infoHash, Torrent.State state, Optional<String> error,
                            TorrentContent content, Swarm swarm, TorrentPeers peers, int dhtNodes) {
        long total = content == null ? 0 : content.metainfo().totalLength();
        long left = content == null ? 0 : content.picker().bytesLeft();
        double down = swarm.downloaded().recentRate();
        Optional<Duration> eta = state == Torrent.State.DOWNLOADING && down > 1
                ? Optional.of(Duration.ofSeconds((long) (left / down))) : Optional.empty();
        return new TorrentStatus(name, infoHash, state, total, total - left,
                content == null ? 0 : content.checkedBytes(), down, swarm.uploaded().recentRate(),
                swarm.downloaded().total(), swarm.uploaded().total(), swarm.peers().size(), peers.known(),
                eta, peers.trackerStatus(), error, swarm.wastedBytes(), swarm.hashFailures(),
                content == null ? swarm.metadataSources() : 0, dhtNodes, peers.peersFromDht());
    }

    /** Whether every piece is verified (never while the metadata is not known). */
    public boolean isComplete() {
        return totalBytes > 0 && completedBytes == totalBytes;
    }

    /** Uploaded divided by the torrent's size. */
    public double ratio() {
        return totalBytes == 0 ? 0 : (double) uploaded / totalBytes;
    }
}
