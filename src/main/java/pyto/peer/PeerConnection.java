package pyto.peer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import pyto.concurrent.Scope;
import pyto.concurrent.Task;
import pyto.piece.Block;
import pyto.wire.Handshake;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;
import pyto.wire.ProtocolException;

/**
 * One connection to one peer (BEP 3, "peer wire protocol"), after the handshake.
 *
 * <p>Runs on its own virtual thread: a blocking read loop that hands each message to the
 * side of the connection it concerns. {@link PeerDownload} keeps what the peer has and our
 * requests to it; {@link PeerUpload} our choking of the peer and its requests to us. Writes
 * go through {@link PeerWriter}, on a second virtual thread. The choker (another thread)
 * chokes and unchokes through {@link #choke()} and {@link #unchoke()}.
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
    private final PeerDownload download;
    private final PeerUpload upload;

    PeerConnection(Handshakes.Opened opened, Swarm swarm, InetSocketAddress dialed) {
        this.socket = opened.socket();
        this.remote = opened.remote();
        this.swarm = swarm;
        this.dialed = dialed;
        this.identity = PeerIdentity.of(address(), remote.peerId());
        TorrentPieces pieces = swarm.pieces();
        RateMeter uploaded = new RateMeter();
        this.writer = new PeerWriter(socket, pieces.codec(), pieces.storage(), swarm.trace(), swarm.uploadLimits(),
                uploaded, swarm.uploaded());
        this.upload = new PeerUpload(this, swarm, writer, uploaded);
        this.download = new PeerDownload(this, swarm, pieces, writer);
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
            PeerMessage message = swarm.pieces().codec().read(socket.in());
            if (swarm.trace().enabled()) {
                swarm.trace().message(socket.toString(), false, message);
            }
            handle(message);
        }
    }

    private void handle(PeerMessage message) throws IOException {
        switch (message) {
            case PeerMessage.KeepAlive k -> { }
            case PeerMessage.Choke c -> download.onChoke();
            case PeerMessage.Unchoke u -> download.onUnchoke();
            case PeerMessage.Interested i -> upload.onInterest(true);
            case PeerMessage.NotInterested n -> upload.onInterest(false);
            case PeerMessage.Have(int piece) -> download.onHave(piece);
            case PeerMessage.Bitfield(byte[] bits) -> download.onBitfield(bits);
            case PeerMessage.Request(int piece, int begin, int length) -> upload.onRequest(piece, begin, length);
            case PeerMessage.Piece(int piece, int begin, byte[] data) -> download.onPiece(new Block(piece, begin, data.length), data);
            case PeerMessage.Cancel(int piece, int begin, int length) -> upload.onCancel(new Block(piece, begin, length));
            case PeerMessage.Port p -> { }    // BEP 5, BEP 6 and BEP 10: we announce none of them yet
            case PeerMessage.SuggestPiece sp -> { }
            case PeerMessage.HaveAll a -> { }
            case PeerMessage.HaveNone hn -> { }
            case PeerMessage.Reject r -> { }
            case PeerMessage.AllowedFast af -> { }
            case pyto.wire.ExtensionMessage e -> { }
            case PeerMessage.Unknown u -> { } // an extension we did not announce; skipped by its length
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

    /** The choker lets this peer download from us. */
    public void unchoke() {
        upload.unchoke();
    }

    /** The choker stops uploading to this peer; blocks it asked for and did not get are dropped. */
    public void choke() {
        upload.choke();
    }

    /** Ends the connection from any thread: the reader wakes with the socket closed and tidies up. */
    public void close() {
        socket.close();
    }

    // ---- what the choker and the status display read ---------------------------------------

    /** A consistent-enough snapshot for the choker and for peer lists (flags read one by one). */
    public PeerStatus status() {
        return new PeerStatus(address(), peerId(), isOutgoing(), upload.isChoking(), download.isInterested(),
                download.isPeerChoking(), upload.isPeerInterested(), download.isSnubbed(), download.downloaded.rate(),
                upload.uploaded.rate(), download.downloaded.total(), upload.uploaded.total(), download.progress(),
                connectedAtMillis);
    }

    /** Whether the peer has every piece. */
    public boolean isSeed() {
        return download.isSeed();
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

    PeerDownload download() {
        return download;
    }

    PeerUpload upload() {
        return upload;
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
