package pyto.peer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    private final boolean fast;
    private final ReentrantLock chokeLock = new ReentrantLock();
    private volatile boolean amChoking = true;   // written under chokeLock
    private volatile boolean peerInterested;
    /** BEP 6: the pieces we told the peer it may fetch while we choke it. */
    private volatile Set<Integer> granted = Set.of();

    /** Payload bytes sent to this peer; {@link PeerWriter} counts them as they go out. */
    final RateMeter uploaded;

    /** @param fast both sides speak the fast extension (BEP 6): every request gets a piece or a reject */
    PeerUpload(PeerConnection connection, Swarm swarm, PeerWriter writer, RateMeter uploaded, boolean fast) {
        this.fast = fast;
        this.connection = connection;
        this.swarm = swarm;
        this.writer = writer;
        this.uploaded = uploaded;
    }

    void onInterest(boolean interested) {
        peerInterested = interested;
        swarm.onInterestChanged(connection);
    }

    /**
     * A request for a block. Served when we have the piece and do not choke the peer (or the
     * piece is one we granted it, BEP 6), else refused: ignored under BEP 3, rejected under
     * the fast extension, where every request gets a piece or a reject. The check and the
     * queueing happen under the choke lock, so a choke cannot slip between them.
     */
    void onRequest(int piece, int begin, int length) throws ProtocolException {
        Block block = new Block(piece, begin, length);
        TorrentPieces pieces = swarm.pieces();
        if (pieces == null) {
            refuse(block); // no metadata yet: we have nothing
            return;
        }
        if (length > PieceGeometry.BLOCK_SIZE) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: refused a request for {1} bytes", connection, length);
            refuse(block);
            return;
        }
        if (!pieces.geometry().isValidRequest(piece, begin, length)) {
            throw new ProtocolException("request outside piece " + piece + ": @" + begin + " +" + length);
        }
        boolean queued;
        chokeLock.lock();
        try {
            if ((amChoking && !granted.contains(piece)) || !pieces.picker().has(piece)) {
                refuse(block);
                return;
            }
            queued = writer.upload(block);
        } finally {
            chokeLock.unlock();
        }
        if (!queued) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: more than {1} requests queued", connection, PeerWriter.MAX_UPLOAD_QUEUE);
            if (fast) {
                refuse(block);
            } else {
                // A choke tells the peer that every request it has out is dropped (BEP 3), and
                // the unchoke right after lets it ask again. Dropping the request silently would
                // leave the peer waiting for it for ever.
                flushRequests();
            }
        }
    }

    /** BEP 6 reject_request, to a peer with the fast extension; without it, a refused request is just not answered. */
    private void refuse(Block block) {
        if (fast) {
            writer.send(new PeerMessage.Reject(block.piece(), block.begin(), block.length()));
        }
    }

    void onCancel(Block block) {
        if (writer.cancelUpload(block)) {
            refuse(block); // BEP 6: a cancelled request is answered too, with a reject
        }
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
                Set<Integer> stillServed = granted;
                writer.choke(new PeerMessage.Choke(), b -> stillServed.contains(b.piece()), fast);
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

    /**
     * What we have, as the first message after the handshakes: a bitfield, or for a peer with
     * the fast extension have_all or have_none when it is all or nothing (BEP 6). A peer
     * without it hears nothing of an empty bitfield: no bitfield means nothing.
     */
    void sendHaves(Bitfield have) {
        if (fast && have.isComplete()) {
            writer.send(new PeerMessage.HaveAll());
        } else if (fast && have.isEmpty()) {
            writer.send(new PeerMessage.HaveNone());
        } else if (!have.isEmpty()) {
            writer.send(new PeerMessage.Bitfield(have.toBytes()));
        }
    }

    /**
     * BEP 6: lets a peer with the fast extension fetch a few pieces even while we choke it,
     * so that a newcomer has something to trade soon. The set is the BEP's canonical one for
     * the peer's address, so that a peer cannot get a fresh set by reconnecting; of it we
     * grant the pieces we have. A peer that has everything needs none.
     */
    void grantAllowedFast(List<Integer> canonicalSet, Bitfield have) {
        if (!fast) {
            return;
        }
        Set<Integer> mine = new HashSet<>();
        for (int piece : canonicalSet) {
            if (have.get(piece)) {
                mine.add(piece);
            }
        }
        granted = Set.copyOf(mine);
        writer.sendAll(canonicalSet.stream().filter(mine::contains).map(PeerMessage.AllowedFast::new).toList());
    }

    boolean isChoking() {
        return amChoking;
    }

    boolean isPeerInterested() {
        return peerInterested;
    }
}
