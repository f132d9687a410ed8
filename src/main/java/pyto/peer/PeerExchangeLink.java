package pyto.peer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import pyto.wire.ExtensionIds;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.PeerExchange.PexPeer;
import pyto.wire.ProtocolException;

/**
 * Peer exchange (BEP 11, ut_pex) with one peer: the peers we tell it of, and those it tells
 * us of.
 *
 * <p>Sending: the first message lists up to {@value #MAX_ADDED} of our connected peers, each
 * later one what changed since (peers added and dropped), at most once per interval (a
 * minute; libtorrent drops a peer that sends more often), and nothing when nothing changed.
 * Receiving: the first {@value #MAX_ADDED} peers of each message become candidates for the
 * dialler, like a tracker's; a peer that sends more than {@value #BURST} messages within one
 * interval is flooding us and is dropped. Private torrents (BEP 27) exchange nothing.
 *
 * <p>The reader thread receives; the torrent's periodic task sends. A lock guards what was
 * sent and when.
 */
final class PeerExchangeLink {

    private static final System.Logger LOG = System.getLogger(PeerExchangeLink.class.getName());

    /** Peers taken from one message, and listed in one message: libtorrent takes 50 as well. */
    static final int MAX_ADDED = 50;
    /** Messages a peer may send within one interval before it counts as flooding (libtorrent allows three). */
    static final int BURST = 3;

    private final PeerConnection connection;
    private final Swarm swarm;
    private final PeerWriter writer;

    private final ReentrantLock lock = new ReentrantLock();
    private Set<InetSocketAddress> told;                 // what the peer knows from us; null before our first message
    private long lastSentMillis;
    private final long[] lastReceivedMillis = new long[BURST]; // oldest first

    PeerExchangeLink(PeerConnection connection, Swarm swarm, PeerWriter writer) {
        this.connection = connection;
        this.swarm = swarm;
        this.writer = writer;
    }

    /** The peer's extended handshake arrived: our first message may go at the next round. */
    void onConnected() {
        lock.lock();
        try {
            lastSentMillis = 0;
        } finally {
            lock.unlock();
        }
    }

    void onMessage(PeerExchange message) throws ProtocolException {
        long now = System.currentTimeMillis();
        long interval = swarm.settings().pexInterval().toMillis();
        lock.lock();
        try {
            if (lastReceivedMillis[0] != 0 && now - lastReceivedMillis[0] < interval) {
                throw new ProtocolException("sent " + (BURST + 1) + " peer exchange messages within "
                        + swarm.settings().pexInterval().toSeconds() + " s; BEP 11 allows one a minute");
            }
            System.arraycopy(lastReceivedMillis, 1, lastReceivedMillis, 0, BURST - 1);
            lastReceivedMillis[BURST - 1] = now;
        } finally {
            lock.unlock();
        }
        if (swarm.isPrivate()) {
            return; // BEP 27: peers of a private torrent come from its trackers only
        }
        List<InetSocketAddress> added = message.added().stream().limit(MAX_ADDED).map(PexPeer::address).toList();
        if (!added.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: peer exchange gave {1} peers", connection, added.size());
            swarm.events().peersDiscovered(added);
        }
    }

    /**
     * A round of peer exchange in a swarm: each peer that speaks it hears, at most once an
     * interval, of the peers we are connected to that accept connections, flagged seeds and
     * reachable. Not for a private torrent.
     */
    static void round(List<PeerConnection> all, long nowMillis) {
        Map<InetSocketAddress, Integer> current = new LinkedHashMap<>();
        for (PeerConnection p : all) {
            InetSocketAddress address = p.pexAddress();
            if (address != null) {
                int flags = (p.isSeed() || p.extensions().isUploadOnly() ? PexPeer.SEED : 0)
                        | (p.isOutgoing() ? PexPeer.REACHABLE : 0);
                current.put(address, flags);
            }
        }
        for (PeerConnection p : all) {
            p.extensions().pex().round(current, nowMillis);
        }
    }

    /**
     * A round of peer exchange with this peer: tells it what changed among our peers since our last
     * message to it, if the interval has passed and the peer speaks ut_pex.
     *
     * @param current our connected peers that accept connections, by the address others
     *                reach them at, with their BEP 11 flags
     */
    void round(Map<InetSocketAddress, Integer> current, long nowMillis) {
        if (!connection.extensions().supports(ExtensionIds.UT_PEX)) {
            return;
        }
        PeerExchange message;
        lock.lock();
        try {
            if (lastSentMillis != 0 && nowMillis - lastSentMillis < swarm.settings().pexInterval().toMillis()) {
                return;
            }
            Set<InetSocketAddress> known = told == null ? Set.of() : told;
            List<PexPeer> added = new ArrayList<>();
            for (var peer : current.entrySet()) {
                InetSocketAddress address = peer.getKey();
                if (added.size() < MAX_ADDED && !known.contains(address) && !address.equals(connection.pexAddress())) {
                    added.add(new PexPeer(address, peer.getValue()));
                }
            }
            List<InetSocketAddress> dropped = known.stream().filter(a -> !current.containsKey(a))
                    .limit(PeerExchange.MAX_PEERS).toList();
            if (told != null && added.isEmpty() && dropped.isEmpty()) {
                return; // nothing changed: nothing to say
            }
            Set<InetSocketAddress> now = new HashSet<>(known);
            dropped.forEach(now::remove);
            added.forEach(p -> now.add(p.address()));
            told = now;
            lastSentMillis = nowMillis;
            message = new PeerExchange(added, dropped);
        } finally {
            lock.unlock();
        }
        writer.send(message);
    }
}
