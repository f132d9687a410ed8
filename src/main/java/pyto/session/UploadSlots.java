package pyto.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import pyto.peer.PeerConnection;
import pyto.peer.PeerStatus;
import pyto.peer.Swarm;

/**
 * Puts the {@link Choker}'s decisions into effect on one torrent's peers (BEP 3 choking):
 * a full round now and then, on the torrent's choker thread, and between rounds an unchoke
 * at once for a peer that becomes interested while a regular slot is free, on that peer's
 * thread.
 */
final class UploadSlots {

    private final Choker choker;
    private final Swarm swarm;

    UploadSlots(Choker choker, Swarm swarm) {
        this.choker = choker;
        this.swarm = swarm;
    }

    /** One choking round: the choker sees every peer's numbers, and each peer is choked or unchoked to match. */
    void round(boolean seeding) {
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
    }

    /** A newcomer need not wait up to a round for its first unchoke when a slot is free. */
    void interestChanged(PeerConnection peer) {
        if (peer.isPeerInterested() && peer.isChokingPeer()) {
            long unchoked = swarm.peers().stream().filter(p -> !p.isChokingPeer()).count();
            if (choker.hasFreeSlot((int) unchoked)) {
                peer.unchoke();
            }
        }
    }
}
