package pyto.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.metainfo.InfoHash;
import pyto.metainfo.Metainfo;
import pyto.piece.Bitfield;
import pyto.piece.Block;
import pyto.piece.PiecePicker;
import pyto.storage.Storage;
import pyto.wire.ExtensionMessage;
import pyto.wire.Handshake;
import pyto.wire.MessageCodec;
import pyto.wire.PeerId;
import pyto.wire.ProtocolException;

/**
 * The peers of one torrent (BEP 3): who is connected, who may connect, and what goes to all
 * of them. It admits new connections (refusing banned peers, duplicates, and more than the
 * torrent may have) and greets them (BEP 10's extended handshake, then what we have), tells
 * every peer about a piece we verified, hands the requests of a peer that left to the others,
 * runs peer exchange (BEP 11), and drops, with {@link Reputation}, whoever keeps sending bad
 * data. What happens to the blocks the peers send is {@link TorrentPieces}' job; the metadata
 * exchange (BEP 9) is {@link MetadataExchange}'s.
 *
 * <p>A torrent started from a magnet link has peers before it has metadata: the swarm then
 * reads their messages with a codec that does not know the piece count, serves and fetches
 * the metadata, and keeps what peers say they have until the torrent's pieces are ready
 * ({@link #onMetadata}, then {@link #attach}).
 *
 * <p>Called from every peer's threads, the verifiers' and the torrent's periodic task at
 * once. The list of connections ({@link PeerList}) has its own lock; it is never held across
 * disk or socket I/O (queuing a message for a peer's writer is not I/O). Lock order, where
 * several are taken: the peer list's, then a connection's (its {@link DownloadGate}'s, then
 * its download side's; or its upload side's choke lock, which the torrent's
 * {@code UploadSlots} lock precedes), then the picker's or a writer's; the
 * {@link MetadataExchange}'s after a connection's, never before. {@link PieceAssembly}'s and
 * {@link PieceVerifier}'s locks are taken alone, and the assembly's write lock only around a
 * write of verified data.
 */
public final class Swarm {

    private static final System.Logger LOG = System.getLogger(Swarm.class.getName());

    /**
     * How a swarm behaves; the session sets it.
     *
     * @param listenPort     our port, told to peers in the extended handshake (BEP 10 {@code p})
     * @param pexInterval    how often peers exchange peer lists (BEP 11: once a minute)
     * @param allowedFast    how many pieces a peer may fetch from us while choked (BEP 6 suggests
     *                       10; 0 for a client that never uploads)
     * @param dhtPort        our DHT node's UDP port, told to peers in a port message (BEP 5); 0 without a DHT
     * @param downloadLimits every connection's reads take from these buckets (the torrent's and the session's)
     * @param uploadLimits   and its writes from these
     */
    public record Settings(MessageTrace trace, int maxPeers, PeerTimeouts timeouts, int listenPort,
                           Duration pexInterval, int allowedFast, int dhtPort, List<TokenBucket> downloadLimits,
                           List<TokenBucket> uploadLimits) {
        public Settings {
            downloadLimits = List.copyOf(downloadLimits);
            uploadLimits = List.copyOf(uploadLimits);
        }
    }

    private final InfoHash infoHash;
    private final PeerId ourId;
    private final SwarmEvents events;
    private final Settings settings;
    private final MetadataExchange metadata;
    private final Greetings greetings = new Greetings(this);

    private volatile Metainfo metainfo;                                   // null until the metadata is known
    private volatile MessageCodec codec = MessageCodec.withoutMetadata(); // the piece count is checked once known
    private volatile TorrentPieces pieces;                                // null until the pieces are ready

    private final PeerList peers;
    private final Reputation reputation = new Reputation();

    private final RateMeter downloaded = new RateMeter();
    private final RateMeter uploaded = new RateMeter();

    public Swarm(InfoHash infoHash, PeerId ourId, SwarmEvents events, Settings settings) {
        this.infoHash = infoHash;
        this.ourId = ourId;
        this.events = events;
        this.settings = settings;
        this.peers = new PeerList(ourId, settings.maxPeers());
        this.metadata = new MetadataExchange(infoHash, events::metadataFetched, System::currentTimeMillis);
    }

    // ---- the torrent's metadata and pieces --------------------------------------------------

    /**
     * The metadata is known: from a .torrent at the start, or fetched from peers. Peer messages
     * are checked against the piece count from now on, the metadata is served to peers that
     * ask (unless the torrent is private, BEP 27), and peers that lack it hear its size.
     */
    public void onMetadata(Metainfo known) {
        if (!known.infoHash().equals(infoHash)) {
            throw new IllegalArgumentException("metadata of " + known.infoHash() + " for the swarm of " + infoHash);
        }
        metainfo = known;
        codec = new MessageCodec(known.pieceCount());
        metadata.know(known.infoBytes(), !known.isPrivate());
        greetings.onMetadata(peers(), known);
    }

    /**
     * The pieces are ready (the metadata known, the data on disk checked): blocks are taken
     * from now on, and every peer already connected starts downloading with what it told us
     * so far, and hears which pieces we have.
     */
    public TorrentPieces attach(PiecePicker picker, Storage storage) {
        TorrentPieces ready = new TorrentPieces(this, picker, storage);
        if (pieces != null) {
            throw new IllegalStateException("the pieces of " + infoHash + " are ready already");
        }
        Bitfield have = picker.have();
        peers.whileLocked(all -> { // a peer joining now is greeted with the pieces, or is here to get the haves
            pieces = ready;
            codec = ready.codec();
            for (PeerConnection p : all) {
                for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
                    p.sendHave(i);
                }
                p.onPiecesReady(ready);
            }
        });
        return ready;
    }

    /** The metadata exchange's look at requests that went unanswered (call it every second or so). */
    public void metadataTick() {
        metadata.tick();
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
        opened.socket().limitDownload(settings.downloadLimits());
        try {
            scope.fork(peer.toString(), () -> peer.run(scope));
        } catch (IllegalStateException stopping) {
            peer.close();
            onDisconnect(peer);
            return Optional.empty();
        }
        return Optional.of(peer);
    }

    /** Adds the peer and queues our first messages to it; the reason when refused. */
    private String admit(PeerConnection peer) {
        if (reputation.isBanned(peer.address(), peer.peerId())) {
            return "banned for sending corrupt data";
        }
        if (metadata.isBanned(peer.identity())) {
            return "banned for a while for sending bad metadata";
        }
        return peers.add(peer, added -> {
            TorrentPieces ready = pieces;
            greetings.greet(added, ready);
            if (ready != null) {
                added.onPiecesReady(ready);
            }
        });
    }

    /** The peer's reader ended: forget it, and give its pieces and requests back to the picker. */
    void onDisconnect(PeerConnection peer) {
        boolean removed = peers.remove(peer);
        PeerDownload gone = peer.release();
        if (removed) {
            metadata.onPeerGone(peer);
            if (gone != null) {
                pieces.picker().onPeerGone(gone.peerHas());
                onRequestsReturned(peer, gone.outstandingRequests());
            }
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
                p.requestMore();
            }
        }
    }

    /** Endgame: {@code block} came from {@code from}; every other peer asked for it is told not to send it. */
    void cancelElsewhere(PeerConnection from, Block block) {
        for (PeerConnection p : peers()) {
            if (p != from) {
                p.cancelRequest(block);
            }
        }
    }

    /** A snapshot of the connected peers. */
    public List<PeerConnection> peers() {
        return peers.snapshot();
    }

    public boolean isConnectedTo(InetSocketAddress address) {
        return peers().stream().anyMatch(p -> p.address().equals(address));
    }

    public boolean isBanned(InetSocketAddress address) {
        return reputation.isBanned(address, null);
    }

    public boolean isFull() {
        return peers.isFull();
    }

    // ---- what goes to every peer ------------------------------------------------------------

    /** We have a new piece: every peer hears of it, and those that had it may no longer interest us. */
    void announce(int piece) {
        peers.whileLocked(all -> all.forEach(p -> p.sendHave(piece))); // after a joining peer's bitfield, never before
        for (PeerConnection p : peers()) {
            if (p.has(piece)) {
                p.updateInterest();
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
     * connections kept alive; snubbed peers lose their requests, and requests lost on the way
     * are made again ({@link PeerConnection#checkAlive}). Peer exchange happens here too.
     */
    public void checkPeers(long nowMillis, long snubMillis) {
        List<PeerConnection> all = peers();
        for (PeerConnection p : all) {
            p.checkAlive(nowMillis, settings.timeouts(), snubMillis);
        }
        if (!isPrivate()) {
            PeerExchangeLink.round(all, nowMillis);
        }
    }

    /**
     * The download is complete: we are no longer interested in anyone, peers that are seeds
     * or only upload (BEP 21) have nothing to trade with us and are let go, and the others
     * hear that we only upload now.
     */
    public void onComplete() {
        pieces.onComplete();
        for (PeerConnection p : peers()) {
            p.updateInterest();
            if (p.isSeed() || p.extensions().isUploadOnly()) {
                p.close();
            } else {
                p.extensions().send(new ExtensionMessage.UploadOnly(true));
            }
        }
    }

    /** A peer says it only uploads (BEP 21): if we are complete too, neither has anything for the other. */
    void onUploadOnly(PeerConnection peer) {
        TorrentPieces ready = pieces;
        if (ready != null && ready.picker().isComplete()) {
            peer.close();
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

    /** Our handshake, with the reserved bits of the extensions we speak ({@link Greetings#handshake}). */
    public Handshake handshake() {
        return greetings.handshake(ourId);
    }

    /** Whether this torrent's peers hear of our DHT node: we run one, and the torrent is not private. */
    boolean usesDht() {
        return settings.dhtPort() > 0 && !isPrivate();
    }

    /** The torrent's pieces, or null until they are ready. */
    public TorrentPieces pieces() {
        return pieces;
    }

    /** How many connected peers can give us the metadata (BEP 9), while we lack it. */
    public int metadataSources() {
        return metadata.sources();
    }

    /** BEP 27: a private torrent's peers come from its trackers only (false while the metadata is not known). */
    public boolean isPrivate() {
        Metainfo m = metainfo;
        return m != null && m.isPrivate();
    }

    MessageCodec codec() {
        return codec;
    }

    /** Reads a block we upload, from the torrent's storage. */
    void readBlock(Block block, byte[] buffer) throws IOException {
        TorrentPieces ready = pieces;
        if (ready == null) {
            throw new ProtocolException("asked for a block before we have any");
        }
        ready.storage().readBlock(block.piece(), block.begin(), buffer, 0, block.length());
    }

    MetadataExchange metadata() {
        return metadata;
    }

    Settings settings() {
        return settings;
    }

    SwarmEvents events() {
        return events;
    }

    Reputation reputation() {
        return reputation;
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
        TorrentPieces ready = pieces;
        return ready == null ? 0 : ready.wastedBytes();
    }

    public long hashFailures() {
        TorrentPieces ready = pieces;
        return ready == null ? 0 : ready.hashFailures();
    }

    void onInterestChanged(PeerConnection peer) {
        events.interestChanged(peer);
    }
}
