package pyto.peer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.metainfo.InfoHash;
import pyto.piece.Block;
import pyto.piece.PiecePicker;
import pyto.storage.Storage;
import pyto.wire.Handshake;
import pyto.wire.PeerId;

/**
 * The peers of one torrent (BEP 3): who is connected, who may connect, and what goes to all
 * of them. It admits new connections (refusing banned peers, duplicates, and more than the
 * torrent may have), tells every peer about a piece we verified, hands the requests of a peer
 * that left to the others, and drops, with {@link Reputation}, whoever keeps sending bad
 * data. What happens to the blocks the peers send is {@link TorrentPieces}' job.
 *
 * <p>Called from every peer's threads, the verifiers' and the torrent's periodic task at
 * once. Its own {@link ReentrantLock} guards the list of connections; it is never held
 * across disk or socket I/O (queuing a message for a peer's writer is not I/O).
 * Lock order, where several are taken: swarm, then a connection's (its download side's, or
 * its upload side's choke lock, which the torrent's {@code UploadSlots} lock precedes), then
 * the picker's or a writer's. {@link PieceAssembly}'s and {@link PieceVerifier}'s locks are
 * taken alone, and the assembly's write lock only around a write of verified data.
 */
public final class Swarm {

    private static final System.Logger LOG = System.getLogger(Swarm.class.getName());

    private final InfoHash infoHash;
    private final Handshake ourHandshake;
    private final SwarmEvents events;
    private final MessageTrace trace;
    private final int maxPeers;
    private final PeerTimeouts timeouts;
    private final TorrentPieces pieces;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<PeerConnection> peers = new ArrayList<>();
    private final Reputation reputation = new Reputation();
    private final List<TokenBucket> downloadLimits;
    private final List<TokenBucket> uploadLimits;

    private final RateMeter downloaded = new RateMeter();
    private final RateMeter uploaded = new RateMeter();

    /**
     * @param downloadLimits every connection's reads take from these buckets (the torrent's and the session's)
     * @param uploadLimits   and its writes from these
     */
    public Swarm(InfoHash infoHash, PeerId ourId, PiecePicker picker, Storage storage, SwarmEvents events,
                 MessageTrace trace, int maxPeers, PeerTimeouts timeouts, List<TokenBucket> downloadLimits,
                 List<TokenBucket> uploadLimits) {
        this.infoHash = infoHash;
        this.ourHandshake = Handshake.of(infoHash, ourId);
        this.events = events;
        this.trace = trace;
        this.maxPeers = maxPeers;
        this.timeouts = timeouts;
        this.downloadLimits = List.copyOf(downloadLimits);
        this.uploadLimits = List.copyOf(uploadLimits);
        this.pieces = new TorrentPieces(this, picker, storage);
    }

    // ---- connections ------------------------------------------------------------------------

    /**
     * Admits a peer whose handshake is done and runs it in {@code scope}: a reader thread and
     * a writer thread. Refused (and closed) when the torrent has its fill of peers, the peer
     * is banned, or we are already connected to it.
     *
     * @param dialed the address we dialled, or null for an incoming connection
     * @return the connection, or empty when refused
     */
    public Optional<PeerConnection> start(Scope scope, Handshakes.Opened opened, InetSocketAddress dialed) {
        PeerConnection peer = new PeerConnection(opened, this, dialed);
        String refusal = admit(peer);
        if (refusal != null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: not admitted: {1}", opened.socket(), refusal);
            opened.socket().close();
            return Optional.empty();
        }
        opened.socket().limitDownload(downloadLimits);
        try {
            scope.fork(peer.toString(), () -> peer.run(scope));
        } catch (IllegalStateException stopping) {
            peer.close();
            onDisconnect(peer);
            return Optional.empty();
        }
        return Optional.of(peer);
    }

    /** Adds the peer and queues our bitfield as its first message; the reason when refused. */
    private String admit(PeerConnection peer) {
        PeerConnection replaced = null;
        lock.lock();
        try {
            if (reputation.isBanned(peer.address(), peer.peerId())) {
                return "banned for sending corrupt data";
            }
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
            // Under the lock, so a piece verified meanwhile reaches the peer as a have after this bitfield.
            var have = pieces.picker().have();
            if (!have.isEmpty()) {
                peer.upload().sendBitfield(have);
            }
        } finally {
            lock.unlock();
        }
        if (replaced != null) {
            replaced.close(); // its reader tidies up as for any peer that goes
        }
        return null;
    }

    /**
     * Two peers that dial each other at the same moment end up with two connections, and each
     * side must drop the same one, or both would go. The rule both can apply alike: keep the
     * connection opened by the peer with the lower peer id.
     */
    private boolean keepsNewer(PeerConnection existing, PeerConnection newer) {
        return Arrays.compareUnsigned(opener(newer), opener(existing)) < 0;
    }

    private byte[] opener(PeerConnection connection) {
        return (connection.isOutgoing() ? ourHandshake.peerId() : connection.peerId()).bytes();
    }

    /** The peer's reader ended: forget it, and give its pieces and requests back to the picker. */
    void onDisconnect(PeerConnection peer) {
        boolean removed;
        lock.lock();
        try {
            removed = peers.remove(peer);
        } finally {
            lock.unlock();
        }
        if (removed) {
            pieces.picker().onPeerGone(peer.download().peerHas());
            onRequestsReturned(peer, peer.download().outstandingRequests());
            events.peerGone(peer);
        }
    }

    /**
     * Blocks asked of {@code from} will not come from it (it choked us, went away, or is too
     * slow): the picker offers them again, and the other peers are asked at once, not only
     * when their next block arrives; one that had nothing left to fetch would wait for ever.
     */
    void onRequestsReturned(PeerConnection from, List<Block> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        pieces.picker().onRequestsCancelled(blocks);
        for (PeerConnection p : peers()) {
            if (p != from) {
                p.download().requestMore();
            }
        }
    }

    /** Endgame: {@code block} came from {@code from}; every other peer asked for it is told not to send it. */
    void cancelElsewhere(PeerConnection from, Block block) {
        for (PeerConnection p : peers()) {
            if (p != from) {
                p.download().cancelRequest(block);
            }
        }
    }

    /** A snapshot of the connected peers. */
    public List<PeerConnection> peers() {
        lock.lock();
        try {
            return List.copyOf(peers);
        } finally {
            lock.unlock();
        }
    }

    public boolean isConnectedTo(InetSocketAddress address) {
        return peers().stream().anyMatch(p -> p.address().equals(address));
    }

    public boolean isBanned(InetSocketAddress address) {
        return reputation.isBanned(address, null);
    }

    public boolean isFull() {
        lock.lock();
        try {
            return peers.size() >= maxPeers;
        } finally {
            lock.unlock();
        }
    }

    // ---- what goes to every peer ------------------------------------------------------------

    /** We have a new piece: every peer hears of it, and those that had it may no longer interest us. */
    void announce(int piece) {
        List<PeerConnection> all;
        lock.lock();
        try {
            all = List.copyOf(peers);
            all.forEach(p -> p.upload().sendHave(piece));
        } finally {
            lock.unlock();
        }
        for (PeerConnection p : all) {
            if (p.download().has(piece)) {
                p.download().updateInterest();
            }
        }
    }

    /** Drops every connection of peers that were just banned for sending corrupt data. */
    void dropLiars(List<PeerIdentity> liars) {
        for (PeerIdentity liar : liars) {
            LOG.log(System.Logger.Level.WARNING, "banned {0}: it sent corrupt data again and again", liar);
            for (PeerConnection p : peers()) {
                if (p.identity().equals(liar)) {
                    p.close();
                }
            }
        }
    }

    /**
     * The torrent's periodic look at every peer: silent peers are dropped and quiet
     * connections kept alive ({@link PeerConnection#checkAlive}); snubbed peers lose their
     * requests, and requests lost on the way are made again ({@link PeerDownload#checkRequests}).
     */
    public void checkPeers(long nowMillis, long snubMillis) {
        for (PeerConnection p : peers()) {
            p.checkAlive(nowMillis, timeouts);
            p.download().checkRequests(nowMillis, snubMillis);
        }
    }

    /**
     * The download is complete: we are no longer interested in anyone, and peers that are
     * seeds too have nothing to trade with us, so they are let go (and so are the arrays
     * kept for blocks).
     */
    public void onComplete() {
        pieces.onComplete();
        for (PeerConnection p : peers()) {
            p.download().updateInterest();
            if (p.download().isSeed()) {
                p.close();
            }
        }
    }

    /** Closes every connection; their threads end and tidy up on their own. */
    public void closeAll() {
        peers().forEach(PeerConnection::close);
    }

    // ---- what peers and the status display read ---------------------------------------------

    public InfoHash infoHash() {
        return infoHash;
    }

    public Handshake handshake() {
        return ourHandshake;
    }

    public TorrentPieces pieces() {
        return pieces;
    }

    MessageTrace trace() {
        return trace;
    }

    SwarmEvents events() {
        return events;
    }

    Reputation reputation() {
        return reputation;
    }

    /** The buckets every block we upload takes from. */
    List<TokenBucket> uploadLimits() {
        return uploadLimits;
    }

    /** Payload bytes received from all peers: rate and total. */
    public RateMeter downloaded() {
        return downloaded;
    }

    /** Payload bytes sent to all peers: rate and total. */
    public RateMeter uploaded() {
        return uploaded;
    }

    /** Bytes received that were not used: duplicates and blocks nobody asked for. */
    public long wastedBytes() {
        return pieces.wastedBytes();
    }

    public long hashFailures() {
        return pieces.hashFailures();
    }

    void onInterestChanged(PeerConnection peer) {
        events.interestChanged(peer);
    }
}
