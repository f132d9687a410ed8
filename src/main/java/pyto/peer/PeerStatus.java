package pyto.peer;

import java.net.InetSocketAddress;
import pyto.wire.PeerId;

/**
 * A snapshot of one connected peer, as the choker and a peer list in a user interface see it:
 * who, how fast each way, how much so far, and the four choke/interest flags of BEP 3.
 *
 * @param client         the peer's client, as it names itself (BEP 10 {@code v}) or as its peer id spells it
 * @param choking        we choke the peer
 * @param interested     the peer has something we want
 * @param downloadRate   bytes per second it sends us (20 s window)
 * @param uploadRate     bytes per second we send it
 * @param downloaded     payload bytes received from this peer on this connection
 * @param uploaded       payload bytes sent to it on this connection
 * @param progress       the share of the torrent the peer has, 0 to 1
 */
public record PeerStatus(
        InetSocketAddress address,
        PeerId peerId,
        String client,
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
        double progress,
        long connectedAtMillis) {
}
