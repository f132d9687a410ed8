package pyto.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import pyto.wire.PeerId;

/**
 * Who a peer is, for trust and bans (see {@link Reputation}, {@link BanList}): its host on the
 * Internet, where a peer may come back from another port or with a new peer id; its peer id
 * on loopback or a LAN, where every peer may share one address. A peer that hangs up and
 * comes back is the same peer, so it cannot shed a bad name by reconnecting.
 *
 * @param host   the peer's IP address, or null for a local peer
 * @param peerId the peer id of a local peer, or null
 */
record PeerIdentity(InetAddress host, PeerId peerId) {

    static PeerIdentity of(InetSocketAddress address, PeerId peerId) {
        return BanList.isLocal(address.getAddress()) ? new PeerIdentity(null, peerId)
                : new PeerIdentity(address.getAddress(), null);
    }

    @Override
    public String toString() {
        return host != null ? host.getHostAddress() : "peer " + peerId;
    }
}
