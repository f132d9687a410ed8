package pyto.metainfo;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The SHA-1 hash of every piece, from the info dictionary's {@code pieces} string (BEP 3):
 * 20 bytes per piece, concatenated.
 */
public final class PieceHashes {

    public static final int HASH_LENGTH = 20;

    private final byte[] concatenated;

    public PieceHashes(byte[] concatenated) {
        if (concatenated.length % HASH_LENGTH != 0) {
            throw new IllegalArgumentException("pieces is not a multiple of 20 bytes: " + concatenated.length);
        }
        this.concatenated = concatenated.clone();
    }

    public int count() {
        return concatenated.length / HASH_LENGTH;
    }

    /** The expected SHA-1 of piece {@code index}. */
    public byte[] hash(int index) {
        int from = index * HASH_LENGTH;
        return Arrays.copyOfRange(concatenated, from, from + HASH_LENGTH);
    }

    /** Whether {@code sha1} is the expected hash of piece {@code index}; compared without copying. */
    public boolean matches(int index, byte[] sha1) {
        int from = index * HASH_LENGTH;
        return sha1.length == HASH_LENGTH
                && MessageDigest.isEqual(sha1, Arrays.copyOfRange(concatenated, from, from + HASH_LENGTH));
    }

    /** The {@code pieces} string as it stands in the info dictionary. */
    public byte[] concatenated() {
        return concatenated.clone();
    }
}
