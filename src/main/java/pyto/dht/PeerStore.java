package pyto.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import pyto.metainfo.InfoHash;

/**
 * The peers others announced to us with announce_peer (BEP 5), by info hash: what we answer
 * get_peers with, and what BEP 51's sample_infohashes samples.
 *
 * <p>Bounded whatever others send: at most {@code maxInfoHashes} torrents (a new one is
 * refused when full) and {@code maxPeers} peers each (a new peer pushes out the one that
 * announced longest ago); a peer is forgotten {@code lifetime} after its last announce, as
 * trackers forget peers that stop announcing. Called by the node's reader thread (answers) and
 * its upkeep task (expiry); a lock guards the maps.
 */
final class PeerStore {

    private final InstantSource clock;
    private final int maxInfoHashes;
    private final int maxPeers;
    private final Duration lifetime;
    private final Random random = new Random();
    private final ReentrantLock lock = new ReentrantLock();
    /** Per torrent, its peers in the order of their last announce (oldest first). */
    private final Map<InfoHash, LinkedHashMap<InetSocketAddress, Instant>> torrents = new HashMap<>();
    private int peerCount;

    PeerStore(InstantSource clock, int maxInfoHashes, int maxPeers, Duration lifetime) {
        this.clock = clock;
        this.maxInfoHashes = maxInfoHashes;
        this.maxPeers = maxPeers;
        this.lifetime = lifetime;
    }

    /** Records an announce; false when the store is full of other torrents. */
    boolean add(InfoHash infoHash, InetSocketAddress peer) {
        Instant now = clock.instant();
        lock.lock();
        try {
            LinkedHashMap<InetSocketAddress, Instant> peers = torrents.get(infoHash);
            if (peers == null) {
                if (torrents.size() >= maxInfoHashes) {
                    expireLocked(now);
                    if (torrents.size() >= maxInfoHashes) {
                        return false;
                    }
                }
                peers = new LinkedHashMap<>();
                torrents.put(infoHash, peers);
            }
            if (peers.remove(peer) == null) {
                peerCount++;
            }
            peers.put(peer, now); // re-announcing moves a peer to the young end
            if (peers.size() > maxPeers) {
                Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
                oldest.next();
                oldest.remove();
                peerCount--;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} live peers of the torrent, picked at random when there are more. */
    List<InetSocketAddress> peers(InfoHash infoHash, int max) {
        Instant oldest = clock.instant().minus(lifetime);
        lock.lock();
        try {
            LinkedHashMap<InetSocketAddress, Instant> peers = torrents.get(infoHash);
            if (peers == null) {
                return List.of();
            }
            List<InetSocketAddress> live = new ArrayList<>(peers.size());
            peers.forEach((peer, seen) -> {
                if (seen.isAfter(oldest)) {
                    live.add(peer);
                }
            });
            if (live.size() > max) {
                Collections.shuffle(live, random);
                return List.copyOf(live.subList(0, max));
            }
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} of the info hashes we store, picked at random (BEP 51). */
    List<InfoHash> sample(int max) {
        lock.lock();
        try {
            List<InfoHash> all = new ArrayList<>(torrents.keySet());
            Collections.shuffle(all, random);
            return List.copyOf(all.subList(0, Math.min(max, all.size())));
        } finally {
            lock.unlock();
        }
    }

    /** Forgets peers that have not announced within the lifetime, and torrents left with none. */
    void expire() {
        lock.lock();
        try {
            expireLocked(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    private void expireLocked(Instant now) {
        Instant oldest = now.minus(lifetime);
        for (Iterator<LinkedHashMap<InetSocketAddress, Instant>> t = torrents.values().iterator(); t.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Instant> peers = t.next();
            // oldest first: stop at the first peer still alive
            for (Iterator<Instant> p = peers.values().iterator(); p.hasNext(); ) {
                if (p.next().isAfter(oldest)) {
                    break;
                }
                p.remove();
                peerCount--;
            }
            if (peers.isEmpty()) {
                t.remove();
            }
        }
    }

    int infoHashCount() {
        lock.lock();
        try {
            return torrents.size();
        } finally {
            lock.unlock();
        }
    }

    int peerCount() {
        lock.lock();
        try {
            return peerCount;
        } finally {
            lock.unlock();
        }
    }
}
