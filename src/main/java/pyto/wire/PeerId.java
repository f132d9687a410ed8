package pyto.wire;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * The 20 bytes a client names itself by in handshakes and tracker announces (BEP 3; BEP 20
 * describes the usual ways of spelling the client's name into it).
 *
 * <p>Ours is Azureus-style, {@code -PY0100-} followed by 12 random bytes, new for each run.
 * Peer ids of other clients are any 20 bytes; they are kept as they are.
 */
public record PeerId(byte[] bytes) {

    public static final int LENGTH = 20;

    /** pyto's version, as the command line prints it and as the prefix below spells it. */
    public static final String VERSION = "0.1.0";
    /** How pyto names itself to peers: BEP 10's {@code v}. */
    public static final String CLIENT_NAME = "pyto/" + VERSION;

    /** Azureus-style client prefix (BEP 20): "PY" for pyto, version 0.1.0.0. */
    static final String CLIENT_PREFIX = "-PY0100-";

    private static final int PREFIX_LENGTH = 8;
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    public PeerId {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id is 20 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A fresh id for this run: the random part keeps two pyto instances on one host apart. */
    public static PeerId generate() {
        return generate(SECURE_RANDOM);
    }

    static PeerId generate(Random random) {
        byte[] id = new byte[LENGTH];
        byte[] prefix = CLIENT_PREFIX.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, id, 0, PREFIX_LENGTH);
        byte[] tail = new byte[LENGTH - PREFIX_LENGTH];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, id, PREFIX_LENGTH, tail.length);
        return new PeerId(id);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * For logs and traces: an Azureus-style client prefix as text, the rest in hex
     * ({@code -qB4650-a1b2...}); anything else all in hex.
     */
    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        if (!hasAzureusPrefix()) {
            return hex.formatHex(bytes);
        }
        return new String(bytes, 0, PREFIX_LENGTH, StandardCharsets.US_ASCII)
                + hex.formatHex(bytes, PREFIX_LENGTH, LENGTH);
    }

    private boolean hasAzureusPrefix() {
        if (bytes[0] != '-' || bytes[PREFIX_LENGTH - 1] != '-') {
            return false;
        }
        for (int i = 1; i < PREFIX_LENGTH - 1; i++) {
            if (!Character.isLetterOrDigit(bytes[i])) { // negative (non-ASCII) bytes are not
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
