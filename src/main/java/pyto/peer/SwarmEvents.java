package pyto.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a torrent hears from its swarm, on whichever peer thread caused it. The session's
 * torrent implements it: it updates its status, wakes the choker, dials new peers, takes in
 * the metadata, or stops on a disk error.
 */
public interface SwarmEvents {

    /** A piece arrived whole and matched its hash; we have it now. */
    void pieceVerified(int piece);

    /** Writing or reading our data failed (disk full, file removed): the torrent cannot go on. */
    void diskFailed(IOException error);

    /** A peer became interested or not interested in us: the choker may want to act at once. */
    void interestChanged(PeerConnection peer);

    /** A peer's connection ended, for whatever reason. */
    void peerGone(PeerConnection peer);

    /**
     * The metadata arrived from peers (BEP 9) and its SHA-1 is the info hash: the raw bytes of
     * the info dictionary, exactly as received.
     */
    default void metadataFetched(byte[] infoBytes) {
    }

    /** Peers told us of other peers (BEP 11 peer exchange): addresses to dial, like a tracker's. */
    default void peersDiscovered(List<InetSocketAddress> peers) {
    }

    /** A peer told us where its DHT node listens (BEP 5 port message): a node for our routing table. */
    default void dhtNodeSeen(InetSocketAddress node) {
    }

    /** A peer told us the address it sees us at (BEP 10 {@code yourip}). */
    default void externalAddress(InetAddress address) {
    }
}
