package pyto.piece;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fixed-size set of pieces: the pieces we have, or that one peer has (BEP 3). On the wire
 * piece 0 is the high bit of byte 0 ({@link #fromBytes}, {@link #toBytes}); inside, piece
 * {@code i} is bit {@code i % 64} of word {@code i / 64}, so the picker can combine two
 * bitfields 64 pieces at a time.
 *
 * <p>Not thread-safe. A peer's bitfield belongs to that peer connection's reader thread,
 * which alone changes it (bitfield and have messages); the picker's own have-map is guarded
 * by the picker's lock and handed out only as a {@link #copy()}.
 */
public final class Bitfield {

    private final int pieceCount;
    /** Bits past {@code pieceCount} in the last word stay zero; cardinality and equals rely on it. */
    final long[] words;

    public Bitfield(int pieceCount) {
        if (pieceCount < 0) {
            throw new IllegalArgumentException("negative piece count " + pieceCount);
        }
        this.pieceCount = pieceCount;
        this.words = new long[(pieceCount + 63) >>> 6];
    }

    /** All {@code pieceCount} pieces: what a seed has. */
    public static Bitfield full(int pieceCount) {
        Bitfield all = new Bitfield(pieceCount);
        for (int piece = 0; piece < pieceCount; piece++) {
            all.set(piece);
        }
        return all;
    }

    /**
     * Reads a bitfield message's payload.
     *
     * @throws IllegalArgumentException unless it is exactly {@code ceil(pieceCount / 8)} bytes
     *         with the spare bits after the last piece zero
     */
    public static Bitfield fromBytes(byte[] wire, int pieceCount) {
        Bitfield bitfield = new Bitfield(pieceCount);
        if (wire.length != (pieceCount + 7) / 8) {
            throw new IllegalArgumentException("a bitfield of " + pieceCount + " pieces is "
                    + (pieceCount + 7) / 8 + " bytes, not " + wire.length);
        }
        for (int i = 0; i < wire.length; i++) {
            long reversed = Integer.reverse(wire[i] & 0xff) >>> 24;   // wire: piece 8i is the high bit
            bitfield.words[i >>> 3] |= reversed << ((i & 7) * 8);
        }
        if (pieceCount % 64 != 0 && bitfield.words.length > 0
                && bitfield.words[bitfield.words.length - 1] >>> (pieceCount % 64) != 0) {
            throw new IllegalArgumentException("bitfield has spare bits set after the last of "
                    + pieceCount + " pieces");
        }
        return bitfield;
    }

    /**
     * A bitfield from a picture, for tests: one character per piece, {@code '*'} for a piece
     * present, {@code ' '} or {@code '.'} for one missing, e.g. {@code "*  * *"}.
     */
    public static Bitfield parse(String picture) {
        Bitfield bitfield = new Bitfield(picture.length());
        for (int piece = 0; piece < picture.length(); piece++) {
            switch (picture.charAt(piece)) {
                case '*' -> bitfield.set(piece);
                case ' ', '.' -> { }
                default -> throw new IllegalArgumentException(
                        "'*' for have, ' ' or '.' for not: " + picture);
            }
        }
        return bitfield;
    }

    /** The payload of a bitfield message. */
    public byte[] toBytes() {
        byte[] wire = new byte[(pieceCount + 7) / 8];
        for (int i = 0; i < wire.length; i++) {
            int lowFirst = (int) (words[i >>> 3] >>> ((i & 7) * 8)) & 0xff;
            wire[i] = (byte) (Integer.reverse(lowFirst) >>> 24);
        }
        return wire;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public boolean get(int piece) {
        Objects.checkIndex(piece, pieceCount);
        return (words[piece >>> 6] & (1L << piece)) != 0;   // shifts of a long take piece % 64
    }

    public void set(int piece) {
        Objects.checkIndex(piece, pieceCount);
        words[piece >>> 6] |= 1L << piece;
    }

    public void clear(int piece) {
        Objects.checkIndex(piece, pieceCount);
        words[piece >>> 6] &= ~(1L << piece);
    }

    /** The first piece present at or after {@code from}, or -1. */
    public int nextSetBit(int from) {
        if (from >= pieceCount) {
            return -1;
        }
        int w = from >>> 6;
        long word = words[w] & (-1L << from);
        while (word == 0) {
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }

    /** How many pieces are present. */
    public int cardinality() {
        int count = 0;
        for (long word : words) {
            count += Long.bitCount(word);
        }
        return count;
    }

    public boolean isComplete() {
        return cardinality() == pieceCount;
    }

    public boolean isEmpty() {
        for (long word : words) {
            if (word != 0) {
                return false;
            }
        }
        return true;
    }

    /** Keeps only the pieces {@code other} has too. */
    public void retainAll(Bitfield other) {
        if (other.pieceCount != pieceCount) {
            throw new IllegalArgumentException("bitfields of " + pieceCount + " and " + other.pieceCount + " pieces");
        }
        for (int w = 0; w < words.length; w++) {
            words[w] &= other.words[w];
        }
    }

    public Bitfield copy() {
        Bitfield copy = new Bitfield(pieceCount);
        System.arraycopy(words, 0, copy.words, 0, words.length);
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitfield other && pieceCount == other.pieceCount
                && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return 31 * pieceCount + Arrays.hashCode(words);
    }

    /** The picture {@link #parse} reads, {@code [*..*.*]}, up to 100 pieces; else a count. */
    @Override
    public String toString() {
        if (pieceCount > 100) {
            return cardinality() + "/" + pieceCount + " pieces";
        }
        StringBuilder picture = new StringBuilder("[");
        for (int piece = 0; piece < pieceCount; piece++) {
            picture.append(get(piece) ? '*' : '.');
        }
        return picture.append(']').toString();
    }
}
