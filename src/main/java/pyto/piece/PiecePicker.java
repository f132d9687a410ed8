package pyto.piece;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which blocks to ask a peer for next, and which of the blocks that arrive to keep: one per
 * torrent. BEP 3 leaves the strategy to the client; this is the usual one. Started pieces
 * are finished first, most complete first, so few pieces are ever partial. A new piece is
 * chosen at random until we have {@value #RANDOM_FIRST_PIECES} pieces (so we soon have
 * something to trade), then rarest first (to keep rare pieces alive in the swarm), ties
 * broken at random. When a peer has nothing left that nobody was asked for, it is asked for
 * blocks already requested elsewhere (endgame), each block of at most
 * {@value #ENDGAME_REQUESTS} peers, so a slow peer cannot hold up the last piece.
 *
 * <p>Shared by every peer connection of the torrent: reader threads report what their peer
 * has and what arrived and ask what to request; whoever writes blocks and checks hashes
 * reports those. Every method holds one {@link ReentrantLock} briefly and does no I/O. The
 * picker holds no data, only the state of each block of the pieces in progress (see
 * {@link PartialPiece}); the caller stores each block as it arrives and checks a finished
 * piece. {@link #claim} is what ensures each block is stored once: the first copy wins,
 * duplicates from endgame or from a slow peer are refused.
 *
 * <p>Costs, for N pieces of which P are in progress (P is a few dozen at most):
 * {@code claim}, {@code onBlockStored}, {@code onWriteFailed}, {@code onHave} and
 * {@code availability} are O(1); {@code pick} is O(P log P) plus the blocks it hands out,
 * and starting a new piece adds two passes ({@link Availability#choose}) over the pieces
 * this peer has and we lack, 64 at a time: N/64 words plus a look at each candidate, once
 * per piece started, so a few hundred times a second on a fast link.
 * {@code onBitfield} and {@code onPeerGone} are O(N), once per peer; {@code isInteresting}
 * and {@code isEndgame} are O(N/64) and O(P).
 */
public final class PiecePicker {

    /** Pieces chosen at random before rarest first takes over. */
    static final int RANDOM_FIRST_PIECES = 4;
    /** The most peers asked for the same block in endgame. */
    static final int ENDGAME_REQUESTS = 3;

    private static final Comparator<PartialPiece> MOST_COMPLETE_FIRST =
            Comparator.comparingInt(PartialPiece::progress).reversed()
                    .thenComparingInt(PartialPiece::piece);

    private final ReentrantLock lock = new ReentrantLock();
    private final PieceGeometry geometry;
    private final Bitfield have;
    private final Availability availability;
    /** The pieces in progress by index, null for the others; {@link #started} mirrors it. */
    private final PartialPiece[] partialByPiece;
    private final Bitfield started;
    private final List<PartialPiece> partials = new ArrayList<>();
    private long bytesLeft;

    public PiecePicker(PieceGeometry geometry) {
        this(geometry, new Random());
    }

    /** @param random chooses among equally good pieces; tests pass a seeded one */
    public PiecePicker(PieceGeometry geometry, Random random) {
        this.geometry = geometry;
        int pieceCount = geometry.pieceCount();
        this.have = new Bitfield(pieceCount);
        this.availability = new Availability(pieceCount, random);
        this.partialByPiece = new PartialPiece[pieceCount];
        this.started = new Bitfield(pieceCount);
        this.bytesLeft = geometry.totalLength();
    }

    public PieceGeometry geometry() {
        return geometry;
    }

    // ---- availability: what the connected peers have --------------------------------------

    /** A peer's bitfield message (a BEP 6 have_all is a full one): it has these pieces. */
    public void onBitfield(Bitfield peerHas) {
        checkSize(peerHas);
        lock.lock();
        try {
            availability.add(peerHas, 1);
        } finally {
            lock.unlock();
        }
    }

    /** A peer's have message; call it only if the peer did not have the piece before. */
    public void onHave(int piece) {
        lock.lock();
        try {
            availability.add(piece);
        } finally {
            lock.unlock();
        }
    }

    /** A peer disconnected; {@code peerHas} is everything it had. */
    public void onPeerGone(Bitfield peerHas) {
        checkSize(peerHas);
        lock.lock();
        try {
            availability.add(peerHas, -1);
        } finally {
            lock.unlock();
        }
    }

    public int availability(int piece) {
        lock.lock();
        try {
            return availability.of(piece);
        } finally {
            lock.unlock();
        }
    }

    // ---- our pieces ------------------------------------------------------------------------

    /** A piece passed its hash check, after download or at start by the resume check. */
    public void onPieceVerified(int piece) {
        lock.lock();
        try {
            if (!have.get(piece)) {
                have.set(piece);
                bytesLeft -= geometry.pieceSize(piece);
                forget(piece);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A piece failed its hash check: all its blocks are wanted again. */
    public void onPieceFailed(int piece) {
        lock.lock();
        try {
            forget(piece);
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the pieces we have. */
    public Bitfield have() {
        lock.lock();
        try {
            return have.copy();
        } finally {
            lock.unlock();
        }
    }

    public boolean isComplete() {
        lock.lock();
        try {
            return bytesLeft == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the pieces not verified yet. */
    public long bytesLeft() {
        lock.lock();
        try {
            return bytesLeft;
        } finally {
            lock.unlock();
        }
    }

    /** Whether we have verified {@code piece}: asked for every request a peer sends us. */
    public boolean has(int piece) {
        lock.lock();
        try {
            return have.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /** The pieces being downloaded now (some of their blocks asked for or in), for a piece map. */
    public Bitfield inProgress() {
        lock.lock();
        try {
            return started.copy();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the peer has a piece we lack: then we tell it we are interested. */
    public boolean isInteresting(Bitfield peerHas) {
        checkSize(peerHas);
        lock.lock();
        try {
            for (int w = 0; w < have.words.length; w++) {
                if ((peerHas.words[w] & ~have.words[w]) != 0) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every missing block has been requested (or has arrived). */
    public boolean isEndgame() {
        lock.lock();
        try {
            return inEndgame();
        } finally {
            lock.unlock();
        }
    }

    private boolean inEndgame() {
        int unstarted = have.pieceCount() - have.cardinality() - partials.size();
        if (bytesLeft == 0 || unstarted > 0) {
            return false;
        }
        for (PartialPiece p : partials) { // asked for on every block: a loop, not a stream
            if (p.wanted() > 0) {
                return false;
            }
        }
        return true;
    }

    // ---- requests --------------------------------------------------------------------------

    /**
     * Up to {@code max} blocks to request from a peer that has {@code peerHas}, marked
     * requested: wanted blocks of started pieces, most complete first; then blocks of new
     * pieces; in endgame, blocks already requested of fewer than {@value #ENDGAME_REQUESTS}
     * other peers.
     *
     * @param alreadyRequested what this peer has been asked for and not yet sent or cancelled
     */
    public List<Block> pick(Bitfield peerHas, int max, Set<Block> alreadyRequested) {
        return pick(peerHas, max, alreadyRequested, List.of());
    }

    /**
     * As {@link #pick(Bitfield, int, Set)}, starting the {@code suggested} pieces first when
     * a new piece is to be started (BEP 6 suggest_piece: the peer has them at hand), as long
     * as the peer has them and nobody started them yet.
     */
    public List<Block> pick(Bitfield peerHas, int max, Set<Block> alreadyRequested, List<Integer> suggested) {
        checkSize(peerHas);
        List<Block> picked = new ArrayList<>(Math.clamp(max, 0, 64));
        lock.lock();
        try {
            partials.sort(MOST_COMPLETE_FIRST);
            for (int i = 0; i < partials.size() && picked.size() < max; i++) {
                PartialPiece partial = partials.get(i);
                if (partial.wanted() > 0 && peerHas.get(partial.piece())) {
                    partial.requestWanted(geometry, picked, max, alreadyRequested);
                }
            }
            for (int i = 0; i < suggested.size() && picked.size() < max; i++) {
                int piece = suggested.get(i);
                if (piece >= 0 && piece < have.pieceCount() && peerHas.get(piece) && !have.get(piece) && !started.get(piece)) {
                    start(piece).requestWanted(geometry, picked, max, alreadyRequested);
                }
            }
            while (picked.size() < max) {
                boolean atRandom = have.cardinality() < RANDOM_FIRST_PIECES;
                int piece = availability.choose(peerHas, have, started, atRandom);
                if (piece < 0) {
                    break;
                }
                start(piece).requestWanted(geometry, picked, max, alreadyRequested);
            }
            // Endgame: every block we lack has been asked of someone, so a peer with room asks
            // for copies, to finish the last pieces sooner than the slowest peer would. Not
            // before: a peer that merely has nothing new for us would only fetch duplicates.
            // Blocks asked of one peer go first, then those asked of two.
            boolean endgame = picked.isEmpty() && inEndgame();
            for (int asked = 1; endgame && asked < ENDGAME_REQUESTS && picked.size() < max; asked++) {
                for (int i = 0; i < partials.size() && picked.size() < max; i++) {
                    PartialPiece partial = partials.get(i);
                    if (peerHas.get(partial.piece())) {
                        partial.requestDuplicates(geometry, picked, max, alreadyRequested, asked);
                    }
                }
            }
            return picked;
        } finally {
            lock.unlock();
        }
    }

    // ---- arrivals --------------------------------------------------------------------------

    /**
     * A block arrived. True if we still want it and no copy arrived before: the caller now
     * stores it and reports {@link #onBlockStored} or {@link #onWriteFailed}. False for
     * anything else (a duplicate, a piece we have or never asked for, a block not cut as
     * ours): the caller drops the data.
     */
    public boolean claim(Block block) {
        lock.lock();
        try {
            if (!geometry.isBlock(block)) {
                return false;
            }
            PartialPiece partial = partialByPiece[block.piece()];
            return partial != null && partial.claim(block.index());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A claimed block is stored (in memory until its piece is checked, or on disk). True if
     * that completes its piece: the caller now checks the piece and reports {@link #onPieceVerified} or {@link #onPieceFailed}.
     */
    public boolean onBlockStored(Block block) {
        lock.lock();
        try {
            PartialPiece partial = claimed(block);
            partial.written(block.index());
            return partial.isAllWritten();
        } finally {
            lock.unlock();
        }
    }

    /** Writing a claimed block failed: it is wanted again. */
    public void onWriteFailed(Block block) {
        lock.lock();
        try {
            claimed(block).writeFailed(block.index());
        } finally {
            lock.unlock();
        }
    }

    /**
     * A peer choked us or went away: these requests of it are void. Each block goes back to
     * wanted unless it has arrived or another peer was asked for it too (endgame). Report
     * only requests still outstanding: not blocks that arrived from this peer.
     */
    public void onRequestsCancelled(Collection<Block> blocks) {
        lock.lock();
        try {
            for (Block block : blocks) {
                PartialPiece partial = geometry.isBlock(block) ? partialByPiece[block.piece()] : null;
                if (partial != null) {
                    partial.cancel(block.index());
                    if (partial.isUntouched()) {
                        forget(block.piece());  // back among the unstarted, for rarest first
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- pieces in progress ----------------------------------------------------------------

    private PartialPiece start(int piece) {
        PartialPiece partial = new PartialPiece(piece, geometry.blockCount(piece));
        partialByPiece[piece] = partial;
        started.set(piece);
        partials.add(partial);
        return partial;
    }

    private void forget(int piece) {
        PartialPiece partial = partialByPiece[piece];
        if (partial != null) {
            partialByPiece[piece] = null;
            started.clear(piece);
            partials.remove(partial);
        }
    }

    private PartialPiece claimed(Block block) {
        PartialPiece partial = geometry.isBlock(block) ? partialByPiece[block.piece()] : null;
        if (partial == null) {
            throw new IllegalStateException(block + " was never claimed");
        }
        return partial;
    }

    private void checkSize(Bitfield peerHas) {
        if (peerHas.pieceCount() != have.pieceCount()) {
            throw new IllegalArgumentException("bitfield of " + peerHas.pieceCount()
                    + " pieces for a torrent of " + have.pieceCount());
        }
    }
}
