package pyto.session;

import java.net.InetSocketAddress;
import pyto.wire.PeerId;

/**
 * A snapshot of one connected peer, as a peer list in a user interface shows it: who, how
 * fast each way, how much so far, and the four choke/interest flags of BEP 3.
 *
 * @param downloaded payload bytes received from this peer on this connection
 * @param uploaded   payload bytes sent to it on this connection
 * @param progress   the share of the torrent the peer has, 0 to 1
 */
public record PeerStatus(
        InetSocketAddress address,
        PeerId peerId,
        boolean outgoing,
        boolean choking,
        boolean interested,
        boolean peerChoking,
        boolean peerInterested,
        boolean snubbed,
        double downloadRate,
        double uploadRate,
        long downloaded,
        long uploaded,
        double progress) {
}
