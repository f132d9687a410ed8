package pyto.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import pyto.peer.PeerConnection;
import pyto.peer.PeerStatus;
import pyto.peer.Swarm;

/**
 * Puts the {@link Choker}'s decisions into effect on one torrent's peers (BEP 3 choking):
 * a full round now and then, on the torrent's choker thread, and between rounds an unchoke
 * at once for a peer that becomes interested while a regular slot is free, on that peer's
 * thread.
 *
 * <p>Both hold one lock while they decide and act. A peer's choke and unchoke each set its
 * flag and then queue the message, so a round choking a peer while its reader thread
 * unchokes it could queue "unchoke" before "choke" and leave the flag saying unchoked: the
 * peer, told last that it is choked, asks for nothing, and we keep it unchoked, a seeder
 * for ever, since the peer we have sent least goes first. Queueing a message does not
 * block, so the lock is held only briefly.
 */
final class UploadSlots {

    private final ReentrantLock lock = new ReentrantLock();
    private final Choker choker;
    private final Swarm swarm;

    UploadSlots(Choker choker, Swarm swarm) {
        this.choker = choker;
        this.swarm = swarm;
    }

    /** One choking round: the choker sees every peer's numbers, and each peer is choked or unchoked to match. */
    void round(boolean seeding) {
        lock.lock();
        try {
            List<PeerConnection> peers = swarm.peers();
            List<Choker.Candidate<PeerConnection>> candidates = new ArrayList<>();
            for (PeerConnection p : peers) {
                PeerStatus s = p.status();
                candidates.add(new Choker.Candidate<>(p, s.peerInterested(), s.snubbed(), s.interested() && !s.peerChoking(),
                        s.downloaded(), s.uploaded(), s.connectedAtMillis()));
            }
            Set<PeerConnection> unchoke = choker.round(candidates, seeding);
            for (PeerConnection p : peers) {
                if (unchoke.contains(p)) {
                    p.unchoke();
                } else {
                    p.choke();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A newcomer need not wait up to a round for its first unchoke when a slot is free. */
    void interestChanged(PeerConnection peer) {
        lock.lock();
        try {
            if (peer.isPeerInterested() && peer.isChokingPeer()) {
                long unchoked = swarm.peers().stream().filter(p -> !p.isChokingPeer()).count();
                if (choker.hasFreeSlot((int) unchoked)) {
                    peer.unchoke();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
