package pyto.tracker;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * The embedded tracker's memory: for each torrent, the peers that announced it and when, and how
 * many downloads completed (BEP 3's announce, BEP 48's scrape counts).
 *
 * <p>A peer is known by its address and port, as opentracker does: a client that restarts with a
 * new peer id on the same port replaces its old entry. A peer that has not announced for the
 * expiry time (two intervals) is forgotten, and so is a torrent with no peers left.
 *
 * <p>Called from every connection's virtual thread at once; one {@link ReentrantLock} guards it
 * all, held only for map work, never for I/O.
 */
final class SwarmRegistry {

    /** A peer as others learn of it. {@code seed} when it has nothing left to download. */
    record Peer(InetSocketAddress address, byte[] peerId, boolean seed) {
    }

    /** What an announce gets back: some other peers and the torrent's counts. */
    record Answer(List<Peer> peers, ScrapeResponse counts) {
    }

    private record Entry(Peer peer, Instant lastSeen) {
    }

    private static final class Swarm {
        final Map<InetSocketAddress, Entry> peers = new LinkedHashMap<>();
        int downloaded;
    }

    private final Clock clock;
    private final Duration expiry;
    private final int maxPeers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InfoHash, Swarm> swarms = new HashMap<>(); // guarded by lock
    private int peerCount; // guarded by lock

    /** @param maxPeers over all torrents; a new peer beyond it is refused, so a flood cannot exhaust memory */
    SwarmRegistry(Clock clock, Duration expiry, int maxPeers) {
        this.clock = clock;
        this.expiry = expiry;
        this.maxPeers = maxPeers;
    }

    /** {@link #announce(InfoHash, Peer, Event, int, Predicate)} answering with peers of any address family. */
    Optional<Answer> announce(InfoHash infoHash, Peer peer, Event event, int numWant) {
        return announce(infoHash, peer, event, numWant, address -> true);
    }

    /**
     * Records an announce and returns up to {@code numWant} other peers that {@code wanted}
     * accepts, chosen at random: a BEP 15 answer, say, holds a single address family.
     * {@code stopped} removes the peer; {@code completed} counts a download unless the peer was
     * already known as a seed.
     *
     * @return empty when the registry is full and the peer is new
     */
    Optional<Answer> announce(InfoHash infoHash, Peer peer, Event event, int numWant,
            Predicate<InetSocketAddress> wanted) {
        Instant now = clock.instant();
        List<Peer> candidates = new ArrayList<>();
        ScrapeResponse counts;
        lock.lock();
        try {
            Swarm swarm = swarms.get(infoHash);
            if (swarm != null) {
                expire(swarm, now);
            }
            Entry previous = swarm == null ? null : swarm.peers.get(peer.address());
            if (event == Event.STOPPED) {
                if (previous != null) {
                    swarm.peers.remove(peer.address());
                    peerCount--;
                }
                return Optional.of(new Answer(List.of(), counts(swarm)));
            }
            if (previous == null && peerCount >= maxPeers) {
                return Optional.empty();
            }
            if (swarm == null) {
                swarm = new Swarm();
                swarms.put(infoHash, swarm);
            }
            if (event == Event.COMPLETED && (previous == null || !previous.peer().seed())) {
                swarm.downloaded++;
            }
            swarm.peers.put(peer.address(), new Entry(peer, now));
            if (previous == null) {
                peerCount++;
            }
            for (Entry entry : swarm.peers.values()) {
                Peer other = entry.peer();
                if (!other.address().equals(peer.address()) && !Arrays.equals(other.peerId(), peer.peerId())
                        && wanted.test(other.address())) {
                    candidates.add(other);
                }
            }
            counts = counts(swarm);
        } finally {
            lock.unlock();
        }
        if (candidates.size() > numWant) {
            Collections.shuffle(candidates, ThreadLocalRandom.current());
            candidates = candidates.subList(0, numWant);
        }
        return Optional.of(new Answer(List.copyOf(candidates), counts));
    }

    /** The counts for one torrent; zeros for one nobody announced. */
    ScrapeResponse counts(InfoHash infoHash) {
        lock.lock();
        try {
            Swarm swarm = swarms.get(infoHash);
            if (swarm != null) {
                expire(swarm, clock.instant());
            }
            return counts(swarm);
        } finally {
            lock.unlock();
        }
    }

    /** The counts for every torrent with peers (a scrape without info_hash). */
    Map<InfoHash, ScrapeResponse> allCounts() {
        expire();
        lock.lock();
        try {
            Map<InfoHash, ScrapeResponse> all = new HashMap<>();
            swarms.forEach((hash, swarm) -> all.put(hash, counts(swarm)));
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets peers silent for longer than the expiry, and torrents left without peers. */
    void expire() {
        Instant now = clock.instant();
        lock.lock();
        try {
            swarms.values().forEach(swarm -> expire(swarm, now));
            swarms.values().removeIf(swarm -> swarm.peers.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    private void expire(Swarm swarm, Instant now) {
        Instant cutoff = now.minus(expiry);
        for (Iterator<Entry> it = swarm.peers.values().iterator(); it.hasNext();) {
            if (it.next().lastSeen().isBefore(cutoff)) {
                it.remove();
                peerCount--;
            }
        }
    }

    private static ScrapeResponse counts(Swarm swarm) {
        if (swarm == null) {
            return new ScrapeResponse(0, 0, 0);
        }
        int seeds = (int) swarm.peers.values().stream().filter(e -> e.peer().seed()).count();
        return new ScrapeResponse(seeds, swarm.peers.size() - seeds, swarm.downloaded);
    }
}
