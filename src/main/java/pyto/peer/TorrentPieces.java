package pyto.peer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.atomic.AtomicLong;
import pyto.concurrent.Scope;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.storage.Storage;
import pyto.wire.MessageCodec;

/**
 * A torrent's pieces, once its metadata is known (BEP 3): which we have and want
 * ({@link PiecePicker}), their bytes on disk ({@link Storage}), and the way a block goes
 * from a peer's socket to a verified piece: claimed in the picker, held in memory
 * ({@link PieceAssembly}), checked and written on the verifier threads ({@link PieceVerifier}),
 * then announced to every peer by the {@link Swarm}.
 *
 * <p>Called from every peer's reader thread, and the verifiers', at once; the picker, the
 * assembly and the verifier each guard their own state.
 */
public final class TorrentPieces {

    private static final System.Logger LOG = System.getLogger(TorrentPieces.class.getName());

    private final Swarm swarm;
    private final PiecePicker picker;
    private final Storage storage;
    private final PieceGeometry geometry;
    private final BlockArrays arrays = new BlockArrays();
    private final MessageCodec codec;
    private final PieceAssembly assembly;
    private final PieceVerifier verifier;
    private final AtomicLong wasted = new AtomicLong();
    private final AtomicLong hashFailures = new AtomicLong();

    TorrentPieces(Swarm swarm, PiecePicker picker, Storage storage) {
        this(swarm, picker, storage, PieceAssembly.MAX_HELD_BYTES);
    }

    /** @param maxHeldBytes how much of the blocks to hold in memory; tests pass a small limit */
    TorrentPieces(Swarm swarm, PiecePicker picker, Storage storage, long maxHeldBytes) {
        this.swarm = swarm;
        this.picker = picker;
        this.storage = storage;
        this.geometry = picker.geometry();
        this.codec = new MessageCodec(geometry.pieceCount(), arrays);
        this.assembly = new PieceAssembly(storage, geometry, arrays, maxHeldBytes);
        this.verifier = new PieceVerifier(assembly, new PieceVerifier.Verdicts() {
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
    }

    /**
     * A block arrived from {@code from}. If the picker still wants it, it is kept
     * ({@link #keep}); if it completes its piece, the piece is queued for its check
     * ({@link #startVerifiers}), which also writes it out.
     */
    void onBlock(PeerConnection from, Block block, byte[] data) throws IOException {
        if (!keep(block, data)) {
            return;
        }
        swarm.reputation().sent(block.piece(), from);
        if (picker.isEndgame()) {
            swarm.cancelElsewhere(from, block);
        }
        onStored(block);
    }

    /** A kept block is in memory or on disk: if it was its piece's last, the piece goes to its check. */
    void onStored(Block block) {
        if (picker.onBlockStored(block)) {
            verifier.submit(block.piece());
        }
    }

    /**
     * Claims {@code block} in the picker and holds it in memory, after a wait for room, or
     * writes it to disk at once when there is none to wait for. False for a block nobody
     * wants (a duplicate from endgame, a block never asked for). When keeping it fails (a
     * disk error, or the run stopping while we wait for room) the picker wants the block
     * again: a block left claimed would never be asked for, and its piece would stall.
     */
    boolean keep(Block block, byte[] data) throws IOException {
        if (!picker.claim(block)) {
            wasted.addAndGet(block.length());
            return false;
        }
        try {
            if (!assembly.hold(block, data)) {
                storage.writeBlock(block.piece(), block.begin(), data, 0, block.length());
            }
            return true;
        } catch (InterruptedIOException e) {
            picker.onWriteFailed(block);
            throw e;
        } catch (IOException e) {
            picker.onWriteFailed(block);
            throw diskError(e);
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
            swarm.reputation().good(piece);
            swarm.announce(piece);
            swarm.events().pieceVerified(piece);
        } else {
            hashFailures.incrementAndGet();
            picker.onPieceFailed(piece);
            LOG.log(System.Logger.Level.INFO, "piece {0} failed its hash check; sent by {1}", piece,
                    swarm.reputation().senders(piece));
            swarm.dropLiars(swarm.reputation().bad(piece));
        }
    }

    /**
     * A disk error stops the torrent, unless it only means this thread was interrupted (the
     * torrent is stopping and closed the file under us).
     */
    private IOException diskError(IOException e) {
        if (!(e instanceof ClosedByInterruptException) && !Thread.currentThread().isInterrupted()) {
            swarm.events().diskFailed(e);
        }
        return e;
    }

    /** The download is complete: the arrays kept for blocks are no longer needed. */
    void onComplete() {
        arrays.clear();
    }

    public PiecePicker picker() {
        return picker;
    }

    public Storage storage() {
        return storage;
    }

    PieceGeometry geometry() {
        return geometry;
    }

    MessageCodec codec() {
        return codec;
    }

    /** Bytes received that were not used: duplicates and blocks nobody asked for. */
    long wastedBytes() {
        return wasted.get();
    }

    long hashFailures() {
        return hashFailures.get();
    }
}
