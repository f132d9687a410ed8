package pyto.peer;

import java.util.concurrent.locks.ReentrantLock;
import pyto.piece.Bitfield;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.wire.PeerMessage;
import pyto.wire.ProtocolException;

/**
 * The upload side of one peer connection (BEP 3): whether we choke the peer, whether it is
 * interested in us, and the blocks it asks for, which {@link PeerWriter} reads from disk and
 * sends.
 *
 * <p>The reader thread reports the peer's interest and requests; the torrent's choker thread
 * chokes and unchokes. Our choke flag and the choke or unchoke message that tells the peer
 * change together, under a lock of this class: were they set apart, a choke from the choker
 * and an unchoke from the reader (which chokes and unchokes to flush an overflowing request
 * queue) could interleave so that the flag says choked while the last message the peer got
 * says unchoked, and the peer would wait for ever for blocks we will never send. Queueing a
 * message does not block, so the lock is held briefly.
 */
final class PeerUpload {

    private static final System.Logger LOG = System.getLogger(PeerUpload.class.getName());

    private final PeerConnection connection;
    private final Swarm swarm;
    private final PeerWriter writer;

    private final ReentrantLock chokeLock = new ReentrantLock();
    private volatile boolean amChoking = true;   // written under chokeLock
    private volatile boolean peerInterested;

    /** Payload bytes sent to this peer; {@link PeerWriter} counts them as they go out. */
    final RateMeter uploaded;

    PeerUpload(PeerConnection connection, Swarm swarm, PeerWriter writer, RateMeter uploaded) {
        this.connection = connection;
        this.swarm = swarm;
        this.writer = writer;
        this.uploaded = uploaded;
    }

    void onInterest(boolean interested) {
        peerInterested = interested;
        swarm.onInterestChanged(connection);
    }

    void onRequest(int piece, int begin, int length) throws ProtocolException {
        if (length > PieceGeometry.BLOCK_SIZE) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: refused a request for {1} bytes", connection, length);
            return;
        }
        TorrentPieces pieces = swarm.pieces();
        if (!pieces.geometry().isValidRequest(piece, begin, length)) {
            throw new ProtocolException("request outside piece " + piece + ": @" + begin + " +" + length);
        }
        if (amChoking || !pieces.picker().has(piece)) {
            return; // BEP 3: requests while choked, or for pieces we lack, are not answered
        }
        if (!writer.upload(new Block(piece, begin, length))) {
            // More requests than we queue: a choke tells the peer that every request it has
            // out is dropped (BEP 3), and the unchoke right after lets it ask again. Dropping
            // the request silently would leave the peer waiting for it forever.
            LOG.log(System.Logger.Level.DEBUG, "{0}: more than {1} requests queued; choke and unchoke",
                    connection, PeerWriter.MAX_UPLOAD_QUEUE);
            flushRequests();
        }
    }

    void onCancel(Block block) {
        writer.cancelUpload(block);
    }

    /** The choker lets this peer download from us. */
    void unchoke() {
        chokeLock.lock();
        try {
            if (amChoking) {
                amChoking = false;
                writer.send(new PeerMessage.Unchoke());
            }
        } finally {
            chokeLock.unlock();
        }
    }

    /** The choker stops uploading to this peer; blocks it asked for and did not get are dropped. */
    void choke() {
        chokeLock.lock();
        try {
            if (!amChoking) {
                amChoking = true;
                writer.choke(new PeerMessage.Choke());
            }
        } finally {
            chokeLock.unlock();
        }
    }

    /** Drops every queued request with a choke and lets the peer ask again with an unchoke, as one step. */
    void flushRequests() {
        chokeLock.lock();
        try {
            if (!amChoking) {
                writer.choke(new PeerMessage.Choke());
                writer.send(new PeerMessage.Unchoke());
            }
        } finally {
            chokeLock.unlock();
        }
    }

    /** A verified piece: tell the peer we have it. */
    void sendHave(int piece) {
        writer.send(new PeerMessage.Have(piece));
    }

    void sendBitfield(Bitfield have) {
        writer.send(new PeerMessage.Bitfield(have.toBytes()));
    }

    boolean isChoking() {
        return amChoking;
    }

    boolean isPeerInterested() {
        return peerInterested;
    }
}
