package pyto.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.metainfo.InfoHash;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.storage.Storage;
import pyto.wire.Handshake;
import pyto.wire.MessageCodec;
import pyto.wire.PeerId;

/**
 * The peers of one torrent and what they share (BEP 3): the piece picker, the storage, the
 * totals. It admits new connections, holds each block that arrives and passes each
 * finished piece to its check ({@link PieceVerifier}, on threads of its own), tells every
 * peer about a piece we verified, and bans, with {@link Reputation}, whoever keeps sending
 * bad data.
 *
 * <p>Called from every peer's threads, and the verifiers', at once. Its own
 * {@link ReentrantLock} guards the list of connections; it is never held across disk or
 * socket I/O (queuing a message for a peer's writer is not I/O).
 * Lock order, where two are taken: swarm, then connection, then picker or writer.
 */
public final class Swarm {

    private static final System.Logger LOG = System.getLogger(Swarm.class.getName());

    private final InfoHash infoHash;
    private final Handshake ourHandshake;
    private final PieceGeometry geometry;
    private final MessageCodec codec;
    private final PiecePicker picker;
    private final Storage storage;
    private final SwarmEvents events;
    private final MessageTrace trace;
    private final int maxPeers;
    private final PeerTimeouts timeouts;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<PeerConnection> peers = new ArrayList<>();
    private final Reputation reputation = new Reputation();
    private final BlockArrays arrays;
    private final PieceHashing hashing;
    private final PieceVerifier verifier;
    private final List<TokenBucket> downloadLimits;
    private final List<TokenBucket> uploadLimits;

    private final RateMeter downloaded = new RateMeter();
    private final RateMeter uploaded = new RateMeter();
    private final AtomicLong wasted = new AtomicLong();
    private final AtomicLong hashFailures = new AtomicLong();

    /**
     * @param downloadLimits every connection's reads take from these buckets (the torrent's and the session's)
     * @param uploadLimits   and its writes from these
     */
    public Swarm(InfoHash infoHash, PeerId ourId, PiecePicker picker, Storage storage, SwarmEvents events,
                 MessageTrace trace, int maxPeers, PeerTimeouts timeouts, List<TokenBucket> downloadLimits,
                 List<TokenBucket> uploadLimits) {
        this.infoHash = infoHash;
        this.ourHandshake = Handshake.of(infoHash, ourId);
        this.geometry = picker.geometry();
        this.arrays = new BlockArrays();
        this.codec = new MessageCodec(geometry.pieceCount(), arrays);
        this.picker = picker;
        this.storage = storage;
        this.events = events;
        this.trace = trace;
        this.maxPeers = maxPeers;
        this.timeouts = timeouts;
        this.hashing = new PieceHashing(storage, geometry, arrays);
        this.verifier = new PieceVerifier(hashing, new PieceVerifier.Verdicts() {
            @Override
            public void checked(int piece, boolean good) {
                onChecked(piece, good);
            }

            @Override
            public void failed(int piece, IOException e) {
                picker.onPieceFailed(piece); // fetch it again, if the torrent goes on
                diskError(e);
            }
        });
        this.downloadLimits = List.copyOf(downloadLimits);
        this.uploadLimits = List.copyOf(uploadLimits);
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
            var have = picker.have();
            if (!have.isEmpty()) {
                peer.sendBitfield(have);
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
            picker.onPeerGone(peer.peerHas());
            onRequestsReturned(peer, peer.outstandingRequests());
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
        picker.onRequestsCancelled(blocks);
        for (PeerConnection p : peers()) {
            if (p != from) {
                p.requestMore();
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

    // ---- blocks and pieces ------------------------------------------------------------------

    /**
     * A block arrived from {@code from}. If the picker still wants it, it is held in memory
     * (after a wait for room, or written to disk at once when there is none to wait for); if
     * it completes its piece, the piece is queued for its check ({@link #startVerifiers}),
     * which also writes it out.
     */
    void onBlock(PeerConnection from, Block block, byte[] data) throws IOException {
        if (!picker.claim(block)) {
            wasted.addAndGet(block.length()); // a duplicate from endgame, or a block nobody wants
            return;
        }
        if (!hashing.hold(block, data)) {
            try {
                storage.writeBlock(block.piece(), block.begin(), data, 0, block.length());
            } catch (IOException e) {
                picker.onWriteFailed(block);
                throw diskError(e);
            }
        }
        reputation.sent(block.piece(), from);
        if (picker.isEndgame()) {
            for (PeerConnection p : peers()) {
                if (p != from) {
                    p.cancelRequest(block);
                }
            }
        }
        if (picker.onBlockStored(block)) {
            verifier.submit(block.piece());
        }
    }

    /**
     * Starts the verifiers of a run in {@code scope} ({@link PieceVerifier}): they check each
     * finished piece and write it out until the run is cancelled. Pieces still waiting then
     * are checked in the next run.
     */
    public void startVerifiers(Scope scope) {
        verifier.start(scope);
    }

    /** A finished piece was checked: keep it and tell everyone, or fetch it again. */
    private void onChecked(int piece, boolean good) {
        if (good) {
            picker.onPieceVerified(piece);
            reputation.good(piece);
            announce(piece);
            events.pieceVerified(piece);
        } else {
            hashFailures.incrementAndGet();
            picker.onPieceFailed(piece);
            LOG.log(System.Logger.Level.INFO, "piece {0} failed its hash check; sent by {1}", piece,
                    reputation.senders(piece));
            for (PeerIdentity liar : reputation.bad(piece)) {
                LOG.log(System.Logger.Level.WARNING, "banned {0}: it sent corrupt data again and again", liar);
                for (PeerConnection p : peers()) {
                    if (p.identity().equals(liar)) {
                        p.close();
                    }
                }
            }
        }
    }

    /** We have a new piece: every peer hears of it, and those that had it may no longer interest us. */
    private void announce(int piece) {
        List<PeerConnection> all;
        lock.lock();
        try {
            all = List.copyOf(peers);
            all.forEach(p -> p.sendHave(piece));
        } finally {
            lock.unlock();
        }
        for (PeerConnection p : all) {
            if (p.has(piece)) {
                p.updateInterest();
            }
        }
    }

    /**
     * A disk error stops the torrent, unless it only means this thread was interrupted (the
     * torrent is stopping and closed the file under us).
     */
    private IOException diskError(IOException e) {
        if (!(e instanceof ClosedByInterruptException) && !Thread.currentThread().isInterrupted()) {
            events.diskFailed(e);
        }
        return e;
    }

    /**
     * The torrent's periodic look at every peer: silent peers are dropped and quiet
     * connections kept alive ({@link PeerConnection#checkAlive}); snubbed peers lose their
     * requests, and requests lost on the way are made again ({@link PeerConnection#checkRequests}).
     */
    public void checkPeers(long nowMillis, long snubMillis) {
        for (PeerConnection p : peers()) {
            p.checkAlive(nowMillis, timeouts);
            p.checkRequests(nowMillis, snubMillis);
        }
    }

    /**
     * The download is complete: we are no longer interested in anyone, and peers that are
     * seeds too have nothing to trade with us, so they are let go (and so are the arrays
     * kept for blocks).
     */
    public void onComplete() {
        arrays.clear();
        for (PeerConnection p : peers()) {
            p.updateInterest();
            if (p.isSeed()) {
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

    public PiecePicker picker() {
        return picker;
    }

    PieceGeometry geometry() {
        return geometry;
    }

    MessageCodec codec() {
        return codec;
    }

    Storage storage() {
        return storage;
    }

    MessageTrace trace() {
        return trace;
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
        return wasted.get();
    }

    public long hashFailures() {
        return hashFailures.get();
    }

    void onInterestChanged(PeerConnection peer) {
        events.interestChanged(peer);
    }
}
