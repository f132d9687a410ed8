package pyto.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import pyto.wire.PeerId;

/**
 * The connections of one torrent, under one lock: who is in, and who may join. A newcomer is
 * refused when the torrent has its fill of peers or is already connected to the same peer
 * (the same peer id), except when the two connections crossed: two peers that dial each other
 * at the same moment end up with two connections, and each side must drop the same one, or
 * both would go. The rule both sides can apply alike: keep the connection opened by the peer
 * with the lower peer id (the other is closed).
 *
 * <p>Work whose order matters to the peer (our first messages to a newcomer, the haves of a
 * piece verified meanwhile) runs under the lock, through the callbacks given here: it is
 * queuing messages for writers, never I/O. Any thread.
 */
final class PeerList {

    private final PeerId ourId;
    private final int maxPeers;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<PeerConnection> peers = new ArrayList<>(); // guarded by lock

    PeerList(PeerId ourId, int maxPeers) {
        this.ourId = ourId;
        this.maxPeers = maxPeers;
    }

    /**
     * Adds {@code peer} unless it is refused, and then runs {@code onAdded} on it under the
     * lock. Returns why it was refused, or null; a connection it replaced is closed (its
     * reader tidies up as for any peer that goes).
     */
    String add(PeerConnection peer, Consumer<PeerConnection> onAdded) {
        PeerConnection replaced = null;
        lock.lock();
        try {
            for (PeerConnection p : peers) {
                if (p.peerId().equals(peer.peerId())) {
                    if (!keepsNewer(p, peer)) {
                        return "already connected to this peer";
                    }
                    replaced = p;
                }
            }
            if (replaced == null && peers.size() >= maxPeers) {
                return "already " + maxPeers + " peers";
            }
            peers.add(peer);
            onAdded.accept(peer);
        } finally {
            lock.unlock();
        }
        if (replaced != null) {
            replaced.close();
        }
        return null;
    }

    private boolean keepsNewer(PeerConnection existing, PeerConnection newer) {
        return Arrays.compareUnsigned(opener(newer), opener(existing)) < 0;
    }

    private byte[] opener(PeerConnection connection) {
        return (connection.isOutgoing() ? ourId : connection.peerId()).bytes();
    }

    /** True if the peer was in the list. */
    boolean remove(PeerConnection peer) {
        lock.lock();
        try {
            return peers.remove(peer);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} on the peers under the lock, so that no peer joins or leaves meanwhile. */
    void whileLocked(Consumer<List<PeerConnection>> action) {
        lock.lock();
        try {
            action.accept(List.copyOf(peers));
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot. */
    List<PeerConnection> snapshot() {
        lock.lock();
        try {
            return List.copyOf(peers);
        } finally {
            lock.unlock();
        }
    }

    boolean isFull() {
        lock.lock();
        try {
            return peers.size() >= maxPeers;
        } finally {
            lock.unlock();
        }
    }
}
