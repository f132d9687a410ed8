package pyto.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.dht.DhtNode;
import pyto.dht.LookupObserver;
import pyto.dht.LookupResult;
import pyto.peer.Handshakes;
import pyto.peer.PeerConnection;
import pyto.peer.PeerSocket;
import pyto.peer.Swarm;
import pyto.tracker.AnnounceRequest;
import pyto.tracker.TrackerStatus;
import pyto.wire.Handshake;

/**
 * How one torrent finds and keeps its peers: the addresses it hears of ({@link PeerDirectory})
 * from its trackers ({@link AnnounceGroup}, BEP 3, 12, 15), the command line, a magnet link's
 * {@code x.pe} and peer exchange (BEP 11); the {@link Dialer}; the incoming connections its
 * session hands over; and, every round, a look at every peer and a choking decision
 * ({@link UploadSlots}, BEP 3).
 *
 * <p>Its tasks run in the scope of the torrent's run: the announcers, the dialler and the
 * periodic round, each on a virtual thread. The trackers are made anew for every run (each
 * starts with {@code started}); a lock guards the current ones.
 */
final class TorrentPeers {

    static final long SNUB_MILLIS = 60_000;
    /** Below this many peers we ask the trackers for more before their interval is up. */
    static final int FEW_PEERS = 5;

    private final Session session;
    private final Swarm swarm;
    private final PeerDirectory directory = new PeerDirectory(System::currentTimeMillis);
    private final Dialer dialer;
    private final UploadSlots uploadSlots;
    private final LongSupplier left;
    private final int announceKey = new Random().nextInt();

    private final ReentrantLock lock = new ReentrantLock();
    private AnnounceGroup trackers; // guarded by lock
    private final Set<InetSocketAddress> fromDht = ConcurrentHashMap.newKeySet(); // peers the DHT gave, for the status

    /** While the DHT gave no peer, it is asked again after this, then twice as long each time. */
    static final Duration FIRST_DHT_RETRY = Duration.ofSeconds(5);
    /** While our DHT node knows no node at all, it is looked at again after this, then twice as long, up to 5 s. */
    static final Duration EMPTY_TABLE_WAIT = Duration.ofMillis(100);

    /** @param left what we tell the trackers is left to download */
    TorrentPeers(Session session, Swarm swarm, LongSupplier left) {
        this.session = session;
        this.swarm = swarm;
        this.left = left;
        this.dialer = new Dialer(session, swarm, directory);
        Session.Config config = session.config();
        this.uploadSlots = new UploadSlots(new Choker(System::currentTimeMillis, new Random(), config.uploadSlots(),
                config.chokeRound().toMillis()), swarm);
    }

    /**
     * Starts finding peers in {@code run}: the trackers of {@code tiers}, the periodic round
     * (choking, silent peers, peer exchange), the dialler, and the DHT, which {@code dhtNodes}
     * (a .torrent's own) help to start.
     *
     * @param complete whether we have every piece (a seed chokes differently, and needs no more peers)
     */
    void start(Scope run, List<List<String>> tiers, List<InetSocketAddress> dhtNodes, BooleanSupplier complete) {
        AnnounceGroup group = new AnnounceGroup(tiers, this::announceRequest, this::add,
                ip -> session.dht().ifPresent(node -> node.learnExternalAddress(ip)), session.config().announcer(),
                new Random());
        lock.lock();
        try {
            trackers = group;
        } finally {
            lock.unlock();
        }
        group.start(run);
        run.forkPeriodic("choker", session.config().chokeRound(), () -> round(complete.getAsBoolean()));
        run.fork("dialer", () -> dialer.run(run));
        session.dht().ifPresent(node -> {
            if (!swarm.isPrivate()) {
                dhtNodes.forEach(node::addNode); // a .torrent's nodes (BEP 5): a start for our routing table
            }
            run.fork("dht", () -> askTheDht(node));
        });
    }

    /**
     * The DHT's part in finding peers (BEP 5), on a thread of the run: a lookup with an announce
     * as soon as our node knows any other node, an announce again every
     * {@link DhtSettings#announceInterval()}, and a lookup every
     * {@link DhtSettings#lookupInterval()} while we are short of peers (sooner while the DHT has
     * given none). An announce that reached no node (our table was still filling) is made
     * again at the next round, not in a quarter of an hour. A private torrent (BEP 27) never
     * touches the DHT. Interrupting the run ends the lookup under way.
     */
    private void askTheDht(DhtNode node) throws InterruptedException {
        DhtSettings settings = session.config().dht();
        long nextAnnounce = System.nanoTime();
        Duration retry = min(FIRST_DHT_RETRY, settings.lookupInterval());
        Duration emptyTable = EMPTY_TABLE_WAIT;
        while (!swarm.isPrivate()) {
            if (node.status().nodes() == 0) { // nobody to ask yet: the node is bootstrapping
                Thread.sleep(emptyTable);
                emptyTable = min(emptyTable.multipliedBy(2), FIRST_DHT_RETRY);
                continue;
            }
            long now = System.nanoTime();
            LookupResult found;
            boolean announcing = now - nextAnnounce >= 0;
            if (announcing) {
                found = node.announce(swarm.infoHash(), session.port(), false);
            } else {
                found = node.getPeers(swarm.infoHash(), LookupObserver.NONE);
            }
            fromDht.addAll(found.peers());
            add(found.peers());
            boolean stillToAnnounce = announcing && found.announced() == 0;
            Duration wait;
            if (fromDht.isEmpty() || stillToAnnounce) {
                wait = retry;
                retry = min(retry.multipliedBy(2), settings.lookupInterval());
            } else {
                wait = swarm.peers().size() < FEW_PEERS ? settings.lookupInterval() : settings.announceInterval();
            }
            if (announcing) {
                nextAnnounce = now + (stillToAnnounce ? wait : settings.announceInterval()).toNanos();
            }
            Thread.sleep(min(wait, Duration.ofNanos(Math.max(0, nextAnnounce - System.nanoTime()))));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** How many peers the DHT has given this torrent. */
    int peersFromDht() {
        return fromDht.size();
    }

    /** Addresses to try, from a tracker, the command line, peer exchange or another source. */
    void add(Collection<InetSocketAddress> peers) {
        if (directory.add(peers) > 0) {
            dialer.wake();
        }
    }

    /** An incoming connection whose handshake named this torrent: answered, and the peer started in {@code run}. */
    void accept(Scope run, PeerSocket socket, Handshake.Head head) throws IOException {
        if (swarm.isFull() || session.isFull() || swarm.isBanned(socket.remote())) {
            socket.close();
            return;
        }
        Handshake theirs = Handshakes.answer(socket, head, swarm.handshake());
        swarm.start(run, new Handshakes.Opened(socket, theirs), null);
    }

    /**
     * One round (every 10 s by default, on the run's periodic thread): a look at every peer
     * (silent, snubbed, owing us requests for too long; peer exchange), then a choking round;
     * and trackers are asked early when we are short of peers.
     */
    private void round(boolean complete) {
        swarm.checkPeers(System.currentTimeMillis(), SNUB_MILLIS);
        uploadSlots.round(complete);
        if (swarm.peers().size() < FEW_PEERS && !complete) {
            AnnounceGroup group = trackers();
            if (group != null) {
                group.announceSoon();
            }
        }
    }

    /** Someone asked for peers now: every tracker is asked, as soon as its minimum interval allows. */
    void reannounce() {
        AnnounceGroup group = trackers();
        if (group != null) {
            group.announceSoon();
        }
    }

    /** The download completed: the trackers hear of it, once. */
    void completed() {
        AnnounceGroup group = trackers();
        if (group != null) {
            group.completed();
        }
    }

    void interestChanged(PeerConnection peer) {
        uploadSlots.interestChanged(peer);
    }

    void peerGone(PeerConnection peer) {
        if (peer.isOutgoing()) {
            directory.ended(peer.address());
        }
        dialer.wake();
    }

    /** What the announcers tell the trackers about us; they set the event themselves. */
    private AnnounceRequest announceRequest() {
        return new AnnounceRequest(swarm.infoHash(), session.peerId().bytes(), session.port(),
                swarm.uploaded().total(), swarm.downloaded().total(), left.getAsLong(),
                AnnounceRequest.Event.NONE, session.config().numWant(), announceKey);
    }

    /** How many addresses we know. */
    int known() {
        return directory.size();
    }

    List<TrackerStatus> trackerStatus() {
        AnnounceGroup group = trackers();
        return group == null ? List.of() : group.status();
    }

    private AnnounceGroup trackers() {
        lock.lock();
        try {
            return trackers;
        } finally {
            lock.unlock();
        }
    }
}
