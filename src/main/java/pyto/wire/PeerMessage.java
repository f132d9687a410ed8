package pyto.wire;

import java.util.Arrays;

/**
 * The messages of the peer wire protocol (BEP 3), one record each. Handle them with an
 * exhaustive {@code switch} without {@code default}: a new message is then a compile error
 * until every switch knows it. {@link MessageCodec} reads and writes them.
 *
 * <p>{@code toString()} is one line per message, for a {@code --trace} log.
 * Records holding a {@code byte[]} own it (no copy, they are on the hot path) and compare
 * it by content.
 */
public sealed interface PeerMessage {

    /** Zero-length message; keeps an idle connection from being dropped. */
    record KeepAlive() implements PeerMessage {
        @Override
        public String toString() {
            return "keep-alive";
        }
    }

    /** The sender will not answer our requests; every outstanding request is void. */
    record Choke() implements PeerMessage {
        @Override
        public String toString() {
            return "choke";
        }
    }

    /** The sender will answer our requests. */
    record Unchoke() implements PeerMessage {
        @Override
        public String toString() {
            return "unchoke";
        }
    }

    /** The sender wants pieces we have. */
    record Interested() implements PeerMessage {
        @Override
        public String toString() {
            return "interested";
        }
    }

    /** The sender wants nothing we have. */
    record NotInterested() implements PeerMessage {
        @Override
        public String toString() {
            return "not interested";
        }
    }

    /** The sender has verified {@code piece}. */
    record Have(int piece) implements PeerMessage {
        @Override
        public String toString() {
            return "have " + piece;
        }
    }

    /**
     * Every piece the sender has, sent once right after the handshake. Piece 0 is the high
     * bit of byte 0; spare bits at the end are zero ({@link MessageCodec} checks).
     */
    record Bitfield(byte[] bits) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        /** {@code bitfield 40 pieces (125 bytes)}: the count of pieces the sender has. */
        @Override
        public String toString() {
            int pieces = 0;
            for (byte b : bits) {
                pieces += Integer.bitCount(b & 0xff);
            }
            return "bitfield " + pieces + " pieces (" + bits.length + " bytes)";
        }
    }

    /** Asks for {@code length} bytes of {@code piece} from offset {@code begin}. */
    record Request(int piece, int begin, int length) implements PeerMessage {
        @Override
        public String toString() {
            return "request " + piece + " @" + begin + " (" + length + " bytes)";
        }
    }

    /** A block of data: bytes of {@code piece} from offset {@code begin}. */
    record Piece(int piece, int begin, byte[] data) implements PeerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Piece other && piece == other.piece && begin == other.begin
                    && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return (31 * piece + begin) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "piece " + piece + " @" + begin + " (" + data.length + " bytes)";
        }
    }

    /** Withdraws a request; in endgame, once another peer delivered the block. */
    record Cancel(int piece, int begin, int length) implements PeerMessage {
        @Override
        public String toString() {
            return "cancel " + piece + " @" + begin + " (" + length + " bytes)";
        }
    }

    /**
     * A message id we do not speak (port, fast extension, extension protocol, ...), read
     * and skipped so the stream stays in step.
     *
     * @param length payload bytes after the id, skipped and not kept
     */
    record Unknown(int id, int length) implements PeerMessage {
        @Override
        public String toString() {
            return "unknown message id " + id + " (" + length + " bytes)";
        }
    }
}
