package pyto.wire;

import java.util.Arrays;

/**
 * The messages of the peer wire protocol, one record each: BEP 3's, BEP 5's port, BEP 6's
 * fast extension, and (as {@link ExtensionMessage}) the messages carried by the extension
 * protocol of BEP 10. Handle them with an exhaustive {@code switch} without {@code default}:
 * a new message is then a compile error until every switch knows it. A peer dispatches
 * {@code case ExtensionMessage e -> ...} to a second exhaustive switch of its own.
 * {@link MessageCodec} reads and writes them.
 *
 * <p>{@code toString()} is one line per message, for a {@code --trace} log.
 * Records holding a {@code byte[]} own it (no copy, they are on the hot path) and compare
 * it by content. The {@code permits} list is spelled out because {@link ExtensionMessage}
 * lives in a file of its own.
 */
public sealed interface PeerMessage permits PeerMessage.KeepAlive, PeerMessage.Choke,
        PeerMessage.Unchoke, PeerMessage.Interested, PeerMessage.NotInterested, PeerMessage.Have,
        PeerMessage.Bitfield, PeerMessage.Request, PeerMessage.Piece, PeerMessage.Cancel,
        PeerMessage.Port, PeerMessage.SuggestPiece, PeerMessage.HaveAll, PeerMessage.HaveNone,
        PeerMessage.Reject, PeerMessage.AllowedFast, PeerMessage.Unknown, ExtensionMessage {

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
     * BEP 5: the sender runs a DHT node on this UDP port. Sent only when both handshakes set
     * the DHT bit ({@link Handshake.Extension#DHT}).
     */
    record Port(int port) implements PeerMessage {
        public Port {
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("a port is 0..65535, not " + port);
            }
        }

        @Override
        public String toString() {
            return "port " + port;
        }
    }

    /** BEP 6: the sender suggests we download {@code piece} (it has it in its cache). */
    record SuggestPiece(int piece) implements PeerMessage {
        @Override
        public String toString() {
            return "suggest piece " + piece;
        }
    }

    /** BEP 6: in place of the bitfield, the sender has every piece. */
    record HaveAll() implements PeerMessage {
        @Override
        public String toString() {
            return "have all";
        }
    }

    /** BEP 6: in place of the bitfield, the sender has no piece. */
    record HaveNone() implements PeerMessage {
        @Override
        public String toString() {
            return "have none";
        }
    }

    /**
     * BEP 6: the sender will not answer this request. With the fast extension every request
     * gets exactly one answer, a piece or a reject, and a choke no longer voids requests.
     */
    record Reject(int piece, int begin, int length) implements PeerMessage {
        @Override
        public String toString() {
            return "reject " + piece + " @" + begin + " (" + length + " bytes)";
        }
    }

    /** BEP 6: we may request blocks of {@code piece} even while the sender chokes us. */
    record AllowedFast(int piece) implements PeerMessage {
        @Override
        public String toString() {
            return "allowed fast " + piece;
        }
    }

    /**
     * A message id none of the BEPs above defines (BEP 52's hash messages, 21..23, or a
     * private extension), read and skipped so the stream stays in step.
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
