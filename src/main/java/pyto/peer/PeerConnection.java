package pyto.peer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.concurrent.Task;
import pyto.piece.Bitfield;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.wire.Handshake;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;
import pyto.wire.ProtocolException;

/**
 * One connection to one peer (BEP 3, "peer wire protocol"), after the handshake.
 *
 * <p>Runs on its own virtual thread: a blocking read loop that hands each message to the
 * torrent's shared state ({@link Swarm}, {@link PiecePicker}). Writes go through
 * {@link PeerWriter}, on a second virtual thread. The four protocol flags live here: whether
 * we choke the peer and whether it interests us, and the same from its side. The choker
 * (another thread) chokes and unchokes through {@link #choke()} and {@link #unchoke()}.
 *
 * <p>What the connection's own lock guards: the peer's bitfield and our outstanding requests
 * to it, which other threads touch (the endgame cancels a request when another peer delivered
 * the block first; a verified piece may make the peer uninteresting).
 */
public final class PeerConnection {

    private static final System.Logger LOG = System.getLogger(PeerConnection.class.getName());

    private final PeerSocket socket;
    private final Handshake remote;
    private final Swarm swarm;
    private final PeerWriter writer;
    private final InetSocketAddress dialed;
    private final PeerIdentity identity;
    private final long connectedAtMillis = System.currentTimeMillis();

    private final ReentrantLock lock = new ReentrantLock();
    private final Bitfield peerHas;                                  // guarded by lock
    private final RequestPipeline requests = new RequestPipeline();  // guarded by lock

    private volatile boolean amChoking = true;
    private volatile boolean amInterested;
    private volatile boolean peerChoking = true;
    private volatile boolean peerInterested;
    private volatile long lastBlockAtMillis = connectedAtMillis;
    private volatile boolean snubbed;

    final RateMeter downloaded = new RateMeter();
    final RateMeter uploaded = new RateMeter();

    PeerConnection(Handshakes.Opened opened, Swarm swarm, InetSocketAddress dialed) {
        this.socket = opened.socket();
        this.remote = opened.remote();
        this.swarm = swarm;
        this.dialed = dialed;
        this.identity = PeerIdentity.of(address(), remote.peerId());
        this.peerHas = new Bitfield(swarm.geometry().pieceCount());
        this.writer = new PeerWriter(socket, swarm.codec(), swarm.storage(), swarm.trace(), swarm.uploadLimits(),
                uploaded, swarm.uploaded());
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
            if (swarm.trace().enabled()) {
                swarm.trace().message(socket.toString(), false, message);
            }
            handle(message);
        }
    }

    private void handle(PeerMessage message) throws IOException {
        switch (message) {
            case PeerMessage.KeepAlive k -> { }
            case PeerMessage.Choke c -> onChoke();
            case PeerMessage.Unchoke u -> {
                peerChoking = false;
                requestMore();
            }
            case PeerMessage.Interested i -> {
                peerInterested = true;
                swarm.onInterestChanged(this);
            }
            case PeerMessage.NotInterested n -> {
                peerInterested = false;
                swarm.onInterestChanged(this);
            }
            case PeerMessage.Have(int piece) -> onHave(piece);
            case PeerMessage.Bitfield(byte[] bits) -> onBitfield(bits);
            case PeerMessage.Request(int piece, int begin, int length) -> onRequest(piece, begin, length);
            case PeerMessage.Piece(int piece, int begin, byte[] data) -> onPiece(new Block(piece, begin, data.length), data);
            case PeerMessage.Cancel(int piece, int begin, int length) -> writer.cancelUpload(new Block(piece, begin, length));
            case PeerMessage.Port p -> { }    // BEP 5, BEP 6 and BEP 10: we announce none of them yet
            case PeerMessage.SuggestPiece s -> { }
            case PeerMessage.HaveAll a -> { }
            case PeerMessage.HaveNone n -> { }
            case PeerMessage.Reject r -> { }
            case PeerMessage.AllowedFast a -> { }
            case pyto.wire.ExtensionMessage e -> { }
            case PeerMessage.Unknown u -> { } // an extension we did not announce; skipped by its length
        }
    }

    // ---- what the peer has ------------------------------------------------------------------

    /**
     * BEP 3 sends the bitfield first, but some clients (aria2) send it again later in place of
     * many haves: a late one is taken as a have for every piece it adds. Bits are never
     * cleared: a peer does not lose pieces.
     */
    private void onBitfield(byte[] bits) throws ProtocolException {
        Bitfield has;
        try {
            has = Bitfield.fromBytes(bits, peerHas.pieceCount());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("bad bitfield: " + e.getMessage());
        }
        Bitfield added = new Bitfield(has.pieceCount());
        lock.lock();
        try {
            for (int i = has.nextSetBit(0); i >= 0; i = has.nextSetBit(i + 1)) {
                if (!peerHas.get(i)) {
                    peerHas.set(i);
                    added.set(i);
                }
            }
        } finally {
            lock.unlock();
        }
        swarm.picker().onBitfield(added);
        updateInterest();
    }

    private void onHave(int piece) {
        boolean isNew;
        lock.lock();
        try {
            isNew = !peerHas.get(piece);
            peerHas.set(piece);
        } finally {
            lock.unlock();
        }
        if (isNew) {
            swarm.picker().onHave(piece);
            updateInterest();
            requestMore(); // already interested: the new piece may fill a pipeline that had run dry
        }
    }

    /**
     * Tells the peer whether it interests us (it has a piece we lack), when that changed.
     * Called by the reader on bitfield and have, and by whichever thread verified a piece.
     */
    void updateInterest() {
        boolean interesting;
        lock.lock();
        try {
            interesting = swarm.picker().isInteresting(peerHas);
            if (interesting == amInterested) {
                return;
            }
            amInterested = interesting;
            writer.send(interesting ? new PeerMessage.Interested() : new PeerMessage.NotInterested());
        } finally {
            lock.unlock();
        }
        if (interesting) {
            requestMore();
        }
    }

    boolean has(int piece) {
        lock.lock();
        try {
            return peerHas.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the peer has every piece. */
    public boolean isSeed() {
        lock.lock();
        try {
            return peerHas.isComplete();
        } finally {
            lock.unlock();
        }
    }

    // ---- downloading from the peer ----------------------------------------------------------

    private void onChoke() {
        peerChoking = true;
        cancelAllRequests(); // BEP 3: a choke drops every request the peer had from us
    }

    private void onPiece(Block block, byte[] data) throws IOException {
        lock.lock();
        try {
            requests.arrived(block);
        } finally {
            lock.unlock();
        }
        downloaded.add(block.length());
        swarm.downloaded().add(block.length());
        lastBlockAtMillis = System.currentTimeMillis();
        snubbed = false;
        swarm.onBlock(this, block, data);
        requestMore();
    }

    /** Tops the pipeline up with blocks the picker chooses for this peer (see {@link RequestPipeline}). */
    void requestMore() {
        if (peerChoking || !amInterested) {
            return;
        }
        List<Block> blocks;
        lock.lock();
        try {
            int room = requests.room(swarm.picker().isEndgame());
            if (room == 0) {
                return;
            }
            blocks = swarm.picker().pick(peerHas, room, requests.blocks());
            requests.sent(blocks, System.currentTimeMillis());
        } finally {
            lock.unlock();
        }
        writer.sendAll(blocks.stream().map(b -> new PeerMessage.Request(b.piece(), b.begin(), b.length())).toList());
    }

    /** Endgame: another peer delivered {@code block} first; withdraw our request for it. */
    void cancelRequest(Block block) {
        lock.lock();
        try {
            if (requests.withdraw(block)) {
                writer.send(new PeerMessage.Cancel(block.piece(), block.begin(), block.length()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives our outstanding requests back to the picker, so other peers can be asked. */
    private void cancelAllRequests() {
        List<Block> dropped;
        lock.lock();
        try {
            dropped = requests.withdrawAll();
        } finally {
            lock.unlock();
        }
        swarm.onRequestsReturned(this, dropped);
    }

    /**
     * Called now and then by the torrent. A peer that has owed us blocks for {@code snubMillis}
     * without sending any is snubbed: its requests go to other peers, and the choker stops
     * counting on it. A peer that sends, but has left requests unanswered for a minute, lost
     * them: they are cancelled and the blocks picked again.
     */
    void checkRequests(long nowMillis, long snubMillis) {
        boolean owes;
        List<Block> expired;
        lock.lock();
        try {
            owes = !requests.isEmpty();
            expired = requests.withdrawExpired(nowMillis);
        } finally {
            lock.unlock();
        }
        if (owes && nowMillis - lastBlockAtMillis > snubMillis) {
            if (!snubbed) {
                snubbed = true;
                LOG.log(System.Logger.Level.DEBUG, "{0}: snubbed us, its requests go to others", this);
                cancelAllRequests();
            }
            swarm.picker().onRequestsCancelled(expired);
            return;
        }
        if (!expired.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} requests unanswered for a minute, asking again",
                    this, expired.size());
            writer.sendAll(expired.stream().map(b -> new PeerMessage.Cancel(b.piece(), b.begin(), b.length())).toList());
            swarm.picker().onRequestsCancelled(expired);
            requestMore();
        }
    }

    /**
     * Called now and then by the torrent: a peer that has sent nothing at all, not even a
     * keep-alive, for longer than the silence limit is gone and is dropped; when we have
     * been quiet for a while, a keep-alive tells the peer that we are still here.
     */
    void checkAlive(long nowMillis, PeerTimeouts timeouts) {
        long silentMillis = nowMillis - socket.lastReadMillis();
        if (silentMillis > timeouts.silence().toMillis()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: silent for {1} s, dropped", this, silentMillis / 1000);
            close();
            return;
        }
        writer.keepAliveIfQuiet(nowMillis, timeouts.keepAlive().toMillis());
    }

    /** Whatever we still hold of this peer's state when it goes: for the picker's books. */
    List<Block> outstandingRequests() {
        lock.lock();
        try {
            return new ArrayList<>(requests.blocks());
        } finally {
            lock.unlock();
        }
    }

    Bitfield peerHas() {
        lock.lock();
        try {
            return peerHas.copy();
        } finally {
            lock.unlock();
        }
    }

    // ---- uploading to the peer --------------------------------------------------------------

    private void onRequest(int piece, int begin, int length) throws ProtocolException {
        if (length > PieceGeometry.BLOCK_SIZE) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: refused a request for {1} bytes", this, length);
            return;
        }
        if (!swarm.geometry().isValidRequest(piece, begin, length)) {
            throw new ProtocolException("request outside piece " + piece + ": @" + begin + " +" + length);
        }
        if (amChoking || !swarm.picker().has(piece)) {
            return; // BEP 3: requests while choked, or for pieces we lack, are not answered
        }
        if (!writer.upload(new Block(piece, begin, length))) {
            // More requests than we queue: a choke tells the peer that every request it has
            // out is dropped (BEP 3), and the unchoke right after lets it ask again. Dropping
            // the request silently would leave the peer waiting for it forever.
            LOG.log(System.Logger.Level.DEBUG, "{0}: more than {1} requests queued; choke and unchoke",
                    this, PeerWriter.MAX_UPLOAD_QUEUE);
            choke();
            unchoke();
        }
    }

    /** The choker lets this peer download from us. */
    public void unchoke() {
        if (amChoking) {
            amChoking = false;
            writer.send(new PeerMessage.Unchoke());
        }
    }

    /** The choker stops uploading to this peer; blocks it asked for and did not get are dropped. */
    public void choke() {
        if (!amChoking) {
            amChoking = true;
            writer.choke(new PeerMessage.Choke());
        }
    }

    /** A verified piece: tell the peer we have it. */
    void sendHave(int piece) {
        writer.send(new PeerMessage.Have(piece));
    }

    void sendBitfield(Bitfield have) {
        writer.send(new PeerMessage.Bitfield(have.toBytes()));
    }

    /** Ends the connection from any thread: the reader wakes with the socket closed and tidies up. */
    public void close() {
        socket.close();
    }

    // ---- what the choker and the status display read ---------------------------------------

    /** A consistent-enough snapshot for the choker and for peer lists (flags read one by one). */
    public PeerStatus status() {
        int pieces;
        lock.lock();
        try {
            pieces = peerHas.cardinality();
        } finally {
            lock.unlock();
        }
        return new PeerStatus(address(), peerId(), isOutgoing(), amChoking, amInterested, peerChoking,
                peerInterested, snubbed, downloaded.rate(), uploaded.rate(), downloaded.total(), uploaded.total(),
                (double) pieces / peerHas.pieceCount(), connectedAtMillis);
    }

    public boolean isChokingPeer() {
        return amChoking;
    }

    public boolean isPeerInterested() {
        return peerInterested;
    }

    public PeerId peerId() {
        return remote.peerId();
    }

    /** Who the peer is, across connections: for trust and bans. */
    PeerIdentity identity() {
        return identity;
    }

    /** The peer's address: where we dialled it, or where its connection came from. */
    public InetSocketAddress address() {
        return dialed != null ? dialed : socket.remote();
    }

    public boolean isOutgoing() {
        return dialed != null;
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
