package pyto.piece;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One piece being downloaded: the state of each of its blocks. A block goes
 * {@code WANTED -> REQUESTED -> WRITING -> WRITTEN}; a cancelled request or a failed write
 * sends it back to {@code WANTED}. Once every block is written the piece waits for its
 * hash check, which {@link PiecePicker} hears about and then forgets this object.
 *
 * <p>Guarded by the lock of the {@link PiecePicker} that owns it.
 */
final class PartialPiece {

    enum State { WANTED, REQUESTED, WRITING, WRITTEN }

    private final int piece;
    private final State[] states;
    /** How many peers each requested block is asked of: 1, or up to a few in endgame. */
    private final int[] requests;
    private int wanted;
    private int written;
    /** No block before this one is wanted: where the next search for wanted blocks starts. */
    private int firstWanted;

    PartialPiece(int piece, int blockCount) {
        this.piece = piece;
        this.states = new State[blockCount];
        this.requests = new int[blockCount];
        Arrays.fill(states, State.WANTED);
        this.wanted = blockCount;
    }

    int piece() {
        return piece;
    }

    State state(int block) {
        return states[block];
    }

    /** Blocks nobody has been asked for. */
    int wanted() {
        return wanted;
    }

    /** Blocks asked for, arriving or arrived: how far along the piece is. */
    int progress() {
        return states.length - wanted;
    }

    /** Nothing asked for and nothing arrived: the piece may as well not have been started. */
    boolean isUntouched() {
        return wanted == states.length;
    }

    boolean isAllWritten() {
        return written == states.length;
    }

    /**
     * Adds wanted blocks to {@code picked} until it holds {@code max}, marking them
     * requested; skips blocks in {@code skip} (this peer has asked for them already).
     */
    void requestWanted(PieceGeometry geometry, List<Block> picked, int max, Set<Block> skip) {
        while (firstWanted < states.length && states[firstWanted] != State.WANTED) {
            firstWanted++;
        }
        for (int block = firstWanted; block < states.length && picked.size() < max && wanted > 0; block++) {
            if (states[block] == State.WANTED) {
                Block b = geometry.block(piece, block);
                if (!skip.contains(b)) {
                    states[block] = State.REQUESTED;
                    requests[block] = 1;
                    wanted--;
                    picked.add(b);
                }
            }
        }
    }

    /**
     * Endgame: adds blocks that are requested but not arrived, asked of exactly
     * {@code requestCount} peers so far and not of this one (neither in {@code skip} nor
     * picked already), marking one more request each.
     */
    void requestDuplicates(PieceGeometry geometry, List<Block> picked, int max, Set<Block> skip,
            int requestCount) {
        for (int block = 0; block < states.length && picked.size() < max; block++) {
            if (states[block] == State.REQUESTED && requests[block] == requestCount) {
                Block b = geometry.block(piece, block);
                if (!skip.contains(b) && !picked.contains(b)) {
                    requests[block]++;
                    picked.add(b);
                }
            }
        }
    }

    /** A peer will not send {@code block} after all. */
    void cancel(int block) {
        if (states[block] == State.REQUESTED && --requests[block] == 0) {
            toWanted(block);
        }
    }

    /** The first copy of {@code block} to arrive: true if it is wanted and still missing. */
    boolean claim(int block) {
        switch (states[block]) {
            case WANTED -> wanted--;                // arrived after its request was cancelled
            case REQUESTED -> { }
            case WRITING, WRITTEN -> {
                return false;
            }
        }
        states[block] = State.WRITING;
        return true;
    }

    void written(int block) {
        if (states[block] != State.WRITING) {
            throw new IllegalStateException(blockName(block) + " written without being claimed");
        }
        states[block] = State.WRITTEN;
        written++;
    }

    void writeFailed(int block) {
        if (states[block] != State.WRITING) {
            throw new IllegalStateException(blockName(block) + " failed without being claimed");
        }
        toWanted(block);
    }

    private void toWanted(int block) {
        states[block] = State.WANTED;
        requests[block] = 0;
        wanted++;
        firstWanted = Math.min(firstWanted, block);
    }

    private String blockName(int block) {
        return "block " + block + " of piece " + piece;
    }
}
