package pyto.peer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Blocks in flight to one peer: a floor for new or slow peers, a ceiling for fast ones. */
    static final int MIN_PIPELINE = 16;
    /**
     * Not more: a peer may silently drop requests beyond its queue (libtorrent and pyto take
     * 500; without BEP 10's {@code reqq} we cannot know), and 250 blocks are 4 MiB in flight.
     */
    static final int MAX_PIPELINE = 250;
    /**
     * In endgame every block left is already asked of someone; a peer asks for copies only
     * while it has fewer than this many requests of its own, so that idle peers help finish
     * the last pieces without every peer fetching everything twice.
     */
    static final int ENDGAME_PIPELINE = 4;
    /** A request unanswered this long, while the peer sends other blocks, was lost: ask again. */
    static final long REQUEST_TIMEOUT_MILLIS = 60_000;
    /** Keep this many seconds of the peer's rate in flight, so the link never idles between blocks. */
    static final double PIPELINE_SECONDS = 2.0;

    private final PeerSocket socket;
    private final Handshake remote;
    private final Swarm swarm;
    private final PeerWriter writer;
    private final InetSocketAddress dialed;
    private final long connectedAtMillis = System.currentTimeMillis();

    private final ReentrantLock lock = new ReentrantLock();
    private final Bitfield peerHas;                              // guarded by lock
    /** Our outstanding requests to the peer and when each was sent, oldest first. Guarded by lock. */
    private final Map<Block, Long> requested = new LinkedHashMap<>();

    private volatile boolean amChoking = true;
    private volatile boolean amInterested;
    private volatile boolean peerChoking = true;
    private volatile boolean peerInterested;
    private volatile long lastBlockAtMillis = connectedAtMillis;
    private volatile boolean snubbed;
    private volatile long unchokedAtMillis = -1;

    final RateMeter downloaded = new RateMeter();
    /** The last few seconds only: the pipeline must follow a peer that speeds up at once. */
    private final RateMeter recentDownload = new RateMeter(3, System::currentTimeMillis);
    final RateMeter uploaded = new RateMeter();
    int trust; // guarded by the swarm's lock: good pieces up, bad pieces down

    PeerConnection(Handshakes.Opened opened, Swarm swarm, InetSocketAddress dialed) {
        this.socket = opened.socket();
        this.remote = opened.remote();
        this.swarm = swarm;
        this.dialed = dialed;
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
        } catch (SocketTimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: silent for {1}, dropped", this, PeerSocket.IDLE_TIMEOUT);
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
            requested.remove(block);
        } finally {
            lock.unlock();
        }
        downloaded.add(block.length());
        recentDownload.add(block.length());
        swarm.downloaded().add(block.length());
        lastBlockAtMillis = System.currentTimeMillis();
        snubbed = false;
        swarm.onBlock(this, block, data);
        requestMore();
    }

    /**
     * Tops the pipeline up to its depth with blocks the picker chooses for this peer. Refills
     * come in batches (an eighth of the depth), not one request per block received: fewer
     * trips to the picker and fewer wake-ups and writes for the writer thread.
     */
    void requestMore() {
        if (peerChoking || !amInterested) {
            return;
        }
        List<Block> blocks;
        lock.lock();
        try {
            int depth = swarm.picker().isEndgame() ? ENDGAME_PIPELINE : pipelineDepth();
            int want = depth - requested.size();
            if (want <= 0 || (want < depth / 8 && !requested.isEmpty())) {
                return;
            }
            blocks = swarm.picker().pick(peerHas, want, requested.keySet());
            long now = System.currentTimeMillis();
            blocks.forEach(b -> requested.put(b, now));
        } finally {
            lock.unlock();
        }
        for (Block b : blocks) {
            writer.send(new PeerMessage.Request(b.piece(), b.begin(), b.length()));
        }
    }

    /** Enough requests to cover {@link #PIPELINE_SECONDS} of the peer's current rate. */
    private int pipelineDepth() {
        double blocks = recentDownload.rate() * PIPELINE_SECONDS / PieceGeometry.BLOCK_SIZE;
        return (int) Math.max(MIN_PIPELINE, Math.min(MAX_PIPELINE, blocks));
    }

    /** Endgame: another peer delivered {@code block} first; withdraw our request for it. */
    void cancelRequest(Block block) {
        lock.lock();
        try {
            if (requested.remove(block) == null) {
                return;
            }
            writer.send(new PeerMessage.Cancel(block.piece(), block.begin(), block.length()));
        } finally {
            lock.unlock();
        }
    }

    /** Gives our outstanding requests back to the picker, so other peers can be asked. */
    private void cancelAllRequests() {
        List<Block> dropped;
        lock.lock();
        try {
            dropped = new ArrayList<>(requested.keySet());
            requested.clear();
        } finally {
            lock.unlock();
        }
        swarm.picker().onRequestsCancelled(dropped);
    }

    /**
     * Called now and then by the torrent. A peer that has owed us blocks for {@code snubMillis}
     * without sending any is snubbed: its requests go to other peers, and the choker stops
     * counting on it. A peer that sends, but has left one request unanswered for
     * {@link #REQUEST_TIMEOUT_MILLIS}, lost it (or dropped it from a full queue): those
     * requests are cancelled and the blocks picked again.
     */
    void checkRequests(long nowMillis, long snubMillis) {
        boolean owes;
        List<Block> expired = new ArrayList<>();
        lock.lock();
        try {
            owes = !requested.isEmpty();
            for (var it = requested.entrySet().iterator(); it.hasNext(); ) {
                var request = it.next();
                if (nowMillis - request.getValue() < REQUEST_TIMEOUT_MILLIS) {
                    break; // oldest first: the rest are younger
                }
                expired.add(request.getKey());
                it.remove();
            }
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
            expired.forEach(b -> writer.send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length())));
            swarm.picker().onRequestsCancelled(expired);
            requestMore();
        }
    }

    /** Whatever we still hold of this peer's state when it goes: for the picker's books. */
    List<Block> outstandingRequests() {
        lock.lock();
        try {
            return new ArrayList<>(requested.keySet());
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
            unchokedAtMillis = System.currentTimeMillis();
            writer.send(new PeerMessage.Unchoke());
        }
    }

    /** The choker stops uploading to this peer; blocks it asked for and did not get are dropped. */
    public void choke() {
        if (!amChoking) {
            amChoking = true;
            unchokedAtMillis = -1;
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

    public boolean isChokingPeer() {
        return amChoking;
    }

    public boolean isInterestedInPeer() {
        return amInterested;
    }

    public boolean isPeerChoking() {
        return peerChoking;
    }

    public boolean isPeerInterested() {
        return peerInterested;
    }

    /** When our current unchoke of this peer began, or -1 while we choke it. */
    public long unchokedAtMillis() {
        return unchokedAtMillis;
    }

    public boolean isSnubbed() {
        return snubbed;
    }

    /** Payload bytes received from this peer on this connection. */
    public long downloadedBytes() {
        return downloaded.total();
    }

    /** Payload bytes sent to this peer on this connection. */
    public long uploadedBytes() {
        return uploaded.total();
    }

    /** How many pieces the peer has. */
    public int piecesHad() {
        lock.lock();
        try {
            return peerHas.cardinality();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes per second we receive from this peer (20 s window). */
    public double downloadRate() {
        return downloaded.rate();
    }

    /** Bytes per second we send to this peer (20 s window). */
    public double uploadRate() {
        return uploaded.rate();
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public PeerId peerId() {
        return remote.peerId();
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
