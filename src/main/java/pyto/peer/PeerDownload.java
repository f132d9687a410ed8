package pyto.peer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import pyto.piece.Bitfield;
import pyto.piece.Block;
import pyto.piece.PiecePicker;
import pyto.wire.PeerMessage;
import pyto.wire.ProtocolException;

/**
 * The download side of one peer connection (BEP 3): which pieces the peer has, whether it
 * chokes us, whether it interests us, and our requests in flight to it
 * ({@link RequestPipeline}), topped up with blocks the torrent's {@link PiecePicker} chooses.
 *
 * <p>The connection's reader thread reports what the peer sends. Other threads call in too:
 * the endgame withdraws a request when another peer delivered the block first, a verified
 * piece may make the peer uninteresting, the torrent's periodic task looks for lost requests.
 * So the peer's bitfield and our requests are guarded by a lock of this class; it is taken
 * before the picker's, never after.
 */
final class PeerDownload {

    private static final System.Logger LOG = System.getLogger(PeerDownload.class.getName());

    private final PeerConnection connection;
    private final Swarm swarm;
    private final TorrentPieces pieces;
    private final PiecePicker picker;
    private final PeerWriter writer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Bitfield peerHas;                                  // guarded by lock
    private final RequestPipeline requests = new RequestPipeline();  // guarded by lock
    private final FastHints hints;                                   // guarded by lock

    private volatile boolean amInterested;
    private volatile boolean peerChoking = true;
    private volatile long lastBlockAtMillis = System.currentTimeMillis();
    private volatile boolean snubbed;

    final RateMeter downloaded = new RateMeter();

    PeerDownload(PeerConnection connection, Swarm swarm, TorrentPieces pieces, PeerWriter writer) {
        this.connection = connection;
        this.swarm = swarm;
        this.pieces = pieces;
        this.picker = pieces.picker();
        this.writer = writer;
        this.peerHas = new Bitfield(pieces.geometry().pieceCount());
        this.hints = new FastHints(pieces.geometry().pieceCount());
    }

    /**
     * Takes in what the peer said before the torrent's pieces were known ({@link EarlyHaves}),
     * now that its claims can be checked: a bitfield of the wrong length or with spare bits
     * set, or a piece index past the end, is a lie, and drops the peer.
     */
    void replay(EarlyHaves early) throws ProtocolException {
        int count = peerHas.pieceCount();
        peerChoking = early.peerChoking();
        if (early.bitfield() != null) {
            onBitfield(early.bitfield());
        }
        if (early.all()) {
            onHaveAll();
        }
        for (int i = early.haves().nextSetBit(0); i >= 0; i = early.haves().nextSetBit(i + 1)) {
            onHave(checkIndex(i, "have"));
        }
        for (int piece : early.allowedFast()) {
            onAllowedFast(checkIndex(piece, "allowed fast"));
        }
        for (int piece : early.suggested()) {
            onSuggest(checkIndex(piece, "suggest piece"));
        }
        updateInterest();
    }

    /** A piece index from the peer, checked against the torrent (the codec may not have known the count when it read it). */
    private int checkIndex(int piece, String message) throws ProtocolException {
        if (piece < 0 || piece >= peerHas.pieceCount()) {
            throw new ProtocolException(message + " for piece " + piece + " of a torrent with "
                    + peerHas.pieceCount() + " pieces");
        }
        return piece;
    }

    // ---- what the peer has ------------------------------------------------------------------

    /**
     * BEP 3 sends the bitfield first, but some clients (aria2) send it again later in place of
     * many haves: a late one is taken as a have for every piece it adds. Bits are never
     * cleared: a peer does not lose pieces.
     */
    void onBitfield(byte[] bits) throws ProtocolException {
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
        picker.onBitfield(added);
        updateInterest();
    }

    void onHave(int piece) throws ProtocolException {
        checkIndex(piece, "have");
        boolean isNew;
        lock.lock();
        try {
            isNew = !peerHas.get(piece);
            peerHas.set(piece);
        } finally {
            lock.unlock();
        }
        if (isNew) {
            picker.onHave(piece);
            updateInterest();
            requestMore(); // already interested: the new piece may fill a pipeline that had run dry
        }
    }

    /** BEP 6 have_all: a bitfield with every bit set, in five bytes. */
    void onHaveAll() throws ProtocolException {
        onBitfield(Bitfield.full(peerHas.pieceCount()).toBytes());
    }

    /**
     * Tells the peer whether it interests us (it has a piece we lack), when that changed.
     * Called by the reader on bitfield and have, and by whichever thread verified a piece.
     */
    void updateInterest() {
        boolean interesting;
        lock.lock();
        try {
            interesting = picker.isInteresting(peerHas);
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

    boolean isSeed() {
        lock.lock();
        try {
            return peerHas.isComplete();
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

    /** The share of the torrent the peer has, 0 to 1. */
    double progress() {
        lock.lock();
        try {
            return (double) peerHas.cardinality() / peerHas.pieceCount();
        } finally {
            lock.unlock();
        }
    }

    // ---- blocks -----------------------------------------------------------------------------

    /**
     * BEP 3: a choke drops every request the peer had from us. With the fast extension
     * (BEP 6) the peer still serves its allowed-fast pieces while choking, so requests for
     * those stay; the rest it should reject one by one, but we take them back at once rather
     * than wait for rejects that a careless peer may never send.
     */
    void onChoke() {
        peerChoking = true;
        List<Block> dropped;
        lock.lock();
        try {
            dropped = requests.withdrawIf(b -> !hints.isAllowedFast(b.piece()));
        } finally {
            lock.unlock();
        }
        swarm.onRequestsReturned(connection, dropped);
    }

    void onUnchoke() {
        peerChoking = false;
        requestMore();
    }

    void onPiece(Block block, byte[] data) throws IOException {
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
        pieces.onBlock(connection, block, data);
        requestMore();
    }

    /**
     * Tops the pipeline up with blocks the picker chooses for this peer (see
     * {@link RequestPipeline}); while the peer chokes us, only from its allowed-fast pieces
     * (BEP 6), which is how a newcomer with nothing to offer gets its first pieces.
     */
    void requestMore() {
        if (!amInterested) {
            return;
        }
        List<Block> blocks;
        lock.lock();
        try {
            Bitfield from = hints.askable(peerHas, peerChoking);
            if (from == null) {
                return;
            }
            int room = requests.room(picker.isEndgame());
            if (room == 0) {
                return;
            }
            blocks = picker.pick(from, room, requests.blocks(), hints.suggested());
            requests.sent(blocks, System.currentTimeMillis());
        } finally {
            lock.unlock();
        }
        writer.sendAll(blocks.stream().map(b -> new PeerMessage.Request(b.piece(), b.begin(), b.length())).toList());
    }

    /** BEP 6: the peer will not send {@code block}: it goes back to the picker, for any peer, at once. */
    void onReject(Block block) {
        boolean ours;
        lock.lock();
        try {
            ours = requests.withdraw(block);
        } finally {
            lock.unlock();
        }
        if (ours) {
            swarm.onRequestsReturned(connection, List.of(block));
            requestMore();
        }
    }

    /** BEP 6: we may ask for {@code piece} even while the peer chokes us. */
    void onAllowedFast(int piece) throws ProtocolException {
        checkIndex(piece, "allowed fast");
        lock.lock();
        try {
            hints.allow(piece);
        } finally {
            lock.unlock();
        }
        requestMore();
    }

    /** BEP 6: the peer would rather we fetched {@code piece} (it has it at hand, say). */
    void onSuggest(int piece) throws ProtocolException {
        checkIndex(piece, "suggest piece");
        lock.lock();
        try {
            hints.suggest(piece);
        } finally {
            lock.unlock();
        }
    }

    /** BEP 10's {@code reqq}: the peer drops requests beyond this many; never send more. */
    void limitRequests(int requestQueue) {
        lock.lock();
        try {
            requests.limit(requestQueue);
        } finally {
            lock.unlock();
        }
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
        swarm.onRequestsReturned(connection, dropped);
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
                LOG.log(System.Logger.Level.DEBUG, "{0}: snubbed us, its requests go to others", connection);
                cancelAllRequests();
            }
            picker.onRequestsCancelled(expired);
            return;
        }
        if (!expired.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} requests unanswered for a minute, asking again",
                    connection, expired.size());
            writer.sendAll(expired.stream().map(b -> new PeerMessage.Cancel(b.piece(), b.begin(), b.length())).toList());
            picker.onRequestsCancelled(expired);
            requestMore();
        }
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

    boolean isInterested() {
        return amInterested;
    }

    boolean isPeerChoking() {
        return peerChoking;
    }

    boolean isSnubbed() {
        return snubbed;
    }
}
