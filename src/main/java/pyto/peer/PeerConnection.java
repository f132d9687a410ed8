package pyto.peer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import pyto.concurrent.Scope;
import pyto.concurrent.Task;
import pyto.piece.Bitfield;
import pyto.piece.Block;
import pyto.wire.ExtensionIds;
import pyto.wire.ExtensionMessage;
import pyto.wire.Handshake;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;
import pyto.wire.ProtocolException;

/**
 * One connection to one peer (BEP 3, "peer wire protocol"), after the handshake.
 *
 * <p>Runs on its own virtual thread: a blocking read loop that hands each message to the
 * side of the connection it concerns. {@link PeerDownload} keeps what the peer has and our
 * requests to it; {@link PeerUpload} our choking of the peer and its requests to us;
 * {@link PeerExtensions} the extension protocol (BEP 10) and what travels over it. Writes go
 * through {@link PeerWriter}, on a second virtual thread. The choker (another thread) chokes
 * and unchokes through {@link #choke()} and {@link #unchoke()}.
 *
 * <p>A connection may start before the torrent knows its pieces: a torrent started from a
 * magnet link learns them with its metadata (BEP 9). Until then the download side waits
 * behind a {@link DownloadGate}, which keeps what the peer says it has.
 */
public final class PeerConnection implements MetadataPeer {

    private static final System.Logger LOG = System.getLogger(PeerConnection.class.getName());

    private final PeerSocket socket;
    private final Handshake remote;
    private final Swarm swarm;
    private final PeerWriter writer;
    private final InetSocketAddress dialed;
    private final PeerIdentity identity;
    private final long connectedAtMillis = System.currentTimeMillis();
    /** Both sides set the fast extension's bit (BEP 6), and the extension protocol's (BEP 10). */
    private final boolean fast;
    private final boolean extended;
    private final boolean dht;
    private final PeerUpload upload;
    private final PeerExtensions extensions;

    private final DownloadGate downloads = new DownloadGate(this);

    PeerConnection(Handshakes.Opened opened, Swarm swarm, InetSocketAddress dialed) {
        this.socket = opened.socket();
        this.remote = opened.remote();
        this.swarm = swarm;
        this.dialed = dialed;
        this.identity = PeerIdentity.of(address(), remote.peerId());
        Handshake ours = swarm.handshake();
        this.fast = ours.supports(Handshake.Extension.FAST) && remote.supports(Handshake.Extension.FAST);
        this.extended = ours.supports(Handshake.Extension.EXTENSION_PROTOCOL)
                && remote.supports(Handshake.Extension.EXTENSION_PROTOCOL);
        this.dht = ours.supports(Handshake.Extension.DHT) && remote.supports(Handshake.Extension.DHT);
        RateMeter uploaded = new RateMeter();
        PeerExtensions[] ext = new PeerExtensions[1]; // the writer asks for the peer's ids at each write
        this.writer = new PeerWriter(socket, swarm::codec, swarm::readBlock, () -> ext[0].theirs(),
                swarm.settings().trace(), swarm.settings().uploadLimits(), uploaded, swarm.uploaded());
        this.upload = new PeerUpload(this, swarm, writer, uploaded, fast);
        this.extensions = new PeerExtensions(this, swarm, writer);
        ext[0] = extensions;
    }

    /**
     * The connection's life: starts the writer in {@code scope}, reads until the peer goes or
     * breaks the protocol, then tidies up. A peer that goes away is not an error: this returns
     * normally and only this connection ends.
     */
    public void run(Scope scope) {
        Task<Void> writerTask = null;
        try {
            writerTask = scope.fork(this + "/writer", this::runWriter);
            readLoop();
        } catch (EOFException | SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: connection closed ({1})", this, e.getMessage());
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.INFO, "{0}: dropped: {1}", this, e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1}", this, e.toString());
        } catch (RuntimeException e) {
            if (scope.isCancelled()) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: torrent stopping", this); // e.g. fork refused
            } else {
                // A bug of ours: it costs this peer, not the torrent.
                LOG.log(System.Logger.Level.WARNING, "peer " + this + " dropped after an internal error: " + e, e);
            }
        } finally {
            writer.close();
            socket.close();
            if (writerTask != null) {
                writerTask.cancel();
            }
            swarm.onDisconnect(this);
        }
    }

    /**
     * The writer's thread. A write that fails means the peer is gone (or we closed it): that
     * ends this connection, never the torrent, so it must not escape as a task failure, which
     * would cancel the torrent's whole scope.
     */
    private void runWriter() throws InterruptedException {
        try {
            writer.run();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: write failed ({1})", this, e.getMessage());
            socket.close(); // wakes the reader, which tidies up
        }
    }

    private void readLoop() throws IOException {
        while (true) {
            PeerMessage message = swarm.codec().read(socket.in());
            if (swarm.settings().trace().enabled()) {
                swarm.settings().trace().message(socket.toString(), false, message);
            }
            handle(message);
        }
    }

    private void handle(PeerMessage message) throws IOException {
        switch (message) {
            case PeerMessage.KeepAlive k -> { }
            case PeerMessage.Choke c -> downloads.onPeerChoking(true);
            case PeerMessage.Unchoke u -> downloads.onPeerChoking(false);
            case PeerMessage.Interested i -> upload.onInterest(true);
            case PeerMessage.NotInterested n -> upload.onInterest(false);
            case PeerMessage.Have(int piece) -> downloads.on(e -> e.have(piece), d -> d.onHave(piece));
            case PeerMessage.Bitfield(byte[] bits) -> downloads.on(e -> e.bitfield(bits), d -> d.onBitfield(bits));
            case PeerMessage.Request(int piece, int begin, int length) -> upload.onRequest(piece, begin, length);
            case PeerMessage.Piece(int piece, int begin, byte[] data) -> // none comes before we ask
                    downloads.on(e -> { }, d -> d.onPiece(new Block(piece, begin, data.length), data));
            case PeerMessage.Cancel(int piece, int begin, int length) -> upload.onCancel(new Block(piece, begin, length));
            case PeerMessage.Port(int port) -> { // BEP 5: where the peer's DHT node listens
                if (dht && port > 0) {
                    swarm.events().dhtNodeSeen(new InetSocketAddress(socket.remote().getAddress(), port));
                }
            }
            case PeerMessage.HaveAll a -> {
                requireFast(message);
                downloads.on(EarlyHaves::haveAll, PeerDownload::onHaveAll);
            }
            case PeerMessage.HaveNone n -> requireFast(message); // nothing: what no bitfield means too
            case PeerMessage.SuggestPiece(int piece) -> {
                requireFast(message);
                downloads.on(e -> e.suggest(piece), d -> d.onSuggest(piece));
            }
            case PeerMessage.AllowedFast(int piece) -> {
                requireFast(message);
                downloads.on(e -> e.allowedFast(piece), d -> d.onAllowedFast(piece));
            }
            case PeerMessage.Reject(int piece, int begin, int length) -> {
                requireFast(message);
                downloads.on(e -> { }, d -> d.onReject(new Block(piece, begin, length)));
            }
            case ExtensionMessage e -> {
                if (!extended) {
                    throw new ProtocolException("sent an extension message (BEP 10) without announcing the extension protocol");
                }
                extensions.handle(e);
            }
            case PeerMessage.Unknown u -> { } // a message no BEP we speak defines; skipped by its length
        }
    }

    /** A BEP 6 message: only from a peer that said it speaks the fast extension. */
    private void requireFast(PeerMessage message) throws ProtocolException {
        if (!fast) {
            throw new ProtocolException("sent " + message + " (BEP 6) without announcing the fast extension");
        }
    }

    /**
     * The torrent's pieces are known and checked: the download side starts ({@link DownloadGate#open}).
     * Called once per connection, under the swarm's lock.
     */
    void onPiecesReady(TorrentPieces pieces) {
        downloads.open(swarm, pieces, writer);
    }

    /** The connection ended: the download side, if it started, for the swarm to take back its pieces and requests. */
    PeerDownload release() {
        return downloads.close();
    }

    /** BEP 10 {@code reqq}: never more requests outstanding than the peer queues. */
    void limitRequests(int queue) {
        downloads.limitRequests(queue);
    }

    // ---- what the swarm asks of the download side (nothing before the pieces are known) ----

    void requestMore() {
        downloads.ifOpen(PeerDownload::requestMore);
    }

    void cancelRequest(Block block) {
        downloads.ifOpen(d -> d.cancelRequest(block));
    }

    void updateInterest() {
        downloads.ifOpen(PeerDownload::updateInterest);
    }

    boolean has(int piece) {
        PeerDownload d = downloads.current();
        return d != null && d.has(piece);
    }

    /** Whether the peer has every piece (false while we cannot tell). */
    public boolean isSeed() {
        PeerDownload d = downloads.current();
        return d != null && d.isSeed();
    }

    /**
     * Called now and then by the torrent: a peer that has sent nothing at all, not even a
     * keep-alive, for longer than the silence limit is gone and is dropped; when we have
     * been quiet for a while, a keep-alive tells the peer that we are still here. Requests
     * owed for too long are looked at too ({@link PeerDownload#checkRequests}).
     */
    void checkAlive(long nowMillis, PeerTimeouts timeouts, long snubMillis) {
        long silentMillis = nowMillis - socket.lastReadMillis();
        if (silentMillis > timeouts.silence().toMillis()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: silent for {1} s, dropped", this, silentMillis / 1000);
            close();
            return;
        }
        writer.keepAliveIfQuiet(nowMillis, timeouts.keepAlive().toMillis());
        downloads.ifOpen(d -> d.checkRequests(nowMillis, snubMillis));
    }

    // ---- the first messages, and what the swarm sends --------------------------------------

    /**
     * What we say first, right after the handshakes: our extended handshake (BEP 10), then
     * what we have: a bitfield, have_all or have_none (BEP 6), or, while our pieces are not
     * known yet, have_none or nothing; then the pieces the peer may fetch while choked; then
     * our DHT node's port (BEP 5), to a peer that runs a node too.
     */
    void sendFirstMessages(ExtensionMessage.ExtendedHandshake ours, Bitfield have, List<Integer> allowedFast, int dhtPort) {
        if (extended) {
            writer.send(ours);
        }
        if (have != null) {
            upload.sendHaves(have);
            upload.grantAllowedFast(allowedFast, have);
        } else if (fast) {
            writer.send(new PeerMessage.HaveNone());
        }
        if (dht && dhtPort > 0) {
            writer.send(new PeerMessage.Port(dhtPort)); // BEP 5: our node, for the peer's routing table
        }
    }

    /** A later extended handshake, e.g. with the metadata's size once we have it (BEP 10 allows several). */
    void sendExtendedHandshake(ExtensionMessage.ExtendedHandshake ours) {
        if (extended) {
            writer.send(ours);
        }
    }

    void sendHave(int piece) {
        upload.sendHave(piece);
    }

    /** The choker lets this peer download from us. */
    public void unchoke() {
        upload.unchoke();
    }

    /** The choker stops uploading to this peer; blocks it asked for and did not get are dropped. */
    public void choke() {
        upload.choke();
    }

    /** Ends the connection from any thread: the reader wakes with the socket closed and tidies up. */
    @Override
    public void close() {
        socket.close();
    }

    // ---- what the metadata exchange needs (BEP 9) ------------------------------------------

    @Override
    public long metadataSize() {
        return extensions.metadataSize();
    }

    @Override
    public boolean offersMetadata() {
        return extensions.supports(ExtensionIds.UT_METADATA);
    }

    @Override
    public boolean sendMetadataMessage(ExtensionMessage message) {
        return extensions.send(message);
    }

    @Override
    public int answersQueued() {
        return writer.queued(ExtensionMessage.MetadataData.class);
    }

    // ---- what the choker and the status display read ---------------------------------------

    /** A consistent-enough snapshot for the choker and for peer lists (flags read one by one). */
    public PeerStatus status() {
        PeerDownload d = downloads.current();
        return new PeerStatus(address(), peerId(), client(), isOutgoing(), upload.isChoking(),
                d != null && d.isInterested(), d == null || d.isPeerChoking(), upload.isPeerInterested(),
                d != null && d.isSnubbed(), d == null ? 0 : d.downloaded.rate(), upload.uploaded.rate(),
                d == null ? 0 : d.downloaded.total(), upload.uploaded.total(), d == null ? 0 : d.progress(),
                connectedAtMillis);
    }

    /** The peer's client: as its extended handshake names it (BEP 10 {@code v}), else as its peer id spells it. */
    public String client() {
        return extensions.client().orElseGet(() -> remote.peerId().toString());
    }

    public boolean isChokingPeer() {
        return upload.isChoking();
    }

    public boolean isPeerInterested() {
        return upload.isPeerInterested();
    }

    public PeerId peerId() {
        return remote.peerId();
    }

    PeerExtensions extensions() {
        return extensions;
    }

    /** Who the peer is, across connections: for trust and bans. */
    @Override
    public PeerIdentity identity() {
        return identity;
    }

    /** The peer's address: where we dialled it, or where its connection came from. */
    public InetSocketAddress address() {
        return dialed != null ? dialed : socket.remote();
    }

    /**
     * Where others can reach the peer, for peer exchange (BEP 11): the address we dialled; for
     * a peer that dialled us, its address with the port its extended handshake gave; else
     * null (its connection's port is not one it listens on).
     */
    InetSocketAddress pexAddress() {
        if (dialed != null) {
            return dialed;
        }
        var port = extensions.listenPort();
        return port.isPresent() ? new InetSocketAddress(socket.remote().getAddress(), port.getAsInt()) : null;
    }

    public boolean isOutgoing() {
        return dialed != null;
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
