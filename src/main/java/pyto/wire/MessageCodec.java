package pyto.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import pyto.wire.PeerMessage.AllowedFast;
import pyto.wire.PeerMessage.Bitfield;
import pyto.wire.PeerMessage.Cancel;
import pyto.wire.PeerMessage.Choke;
import pyto.wire.PeerMessage.Have;
import pyto.wire.PeerMessage.HaveAll;
import pyto.wire.PeerMessage.HaveNone;
import pyto.wire.PeerMessage.Interested;
import pyto.wire.PeerMessage.KeepAlive;
import pyto.wire.PeerMessage.NotInterested;
import pyto.wire.PeerMessage.Piece;
import pyto.wire.PeerMessage.Port;
import pyto.wire.PeerMessage.Reject;
import pyto.wire.PeerMessage.Request;
import pyto.wire.PeerMessage.SuggestPiece;
import pyto.wire.PeerMessage.Unchoke;
import pyto.wire.PeerMessage.Unknown;

/**
 * Reads and writes {@link PeerMessage}s after the handshake: each is
 * {@code <length prefix, 4 bytes big-endian><message id, 1 byte><payload>}, and a length of
 * zero is a keep-alive. Ids 0..8 are BEP 3's, 9 is BEP 5's port, 13..17 are BEP 6's fast
 * extension, and 20 is BEP 10's extension protocol, whose frame {@code ExtensionCodec}
 * reads and writes.
 *
 * <p>The peer is not trusted: every length prefix is checked against the largest valid
 * message for this torrent before anything is allocated, every message's length must match
 * its id, and piece indexes must be inside the torrent. Offsets and lengths inside a piece
 * are the caller's to check against the piece geometry. A torrent started from a magnet link
 * does not know its piece count until it has the metadata ({@link #withoutMetadata()}): its
 * codec checks only what it can.
 *
 * <p>Immutable and shared by all connections of a torrent; each stream is used by one
 * thread, the connection's reader or its writer. {@code write} does not flush: the writer
 * batches messages and flushes when its queue runs dry.
 */
public final class MessageCodec {

    static final int CHOKE = 0;
    static final int UNCHOKE = 1;
    static final int INTERESTED = 2;
    static final int NOT_INTERESTED = 3;
    static final int HAVE = 4;
    static final int BITFIELD = 5;
    static final int REQUEST = 6;
    static final int PIECE = 7;
    static final int CANCEL = 8;
    static final int PORT = 9;
    static final int SUGGEST_PIECE = 13;
    static final int HAVE_ALL = 14;
    static final int HAVE_NONE = 15;
    static final int REJECT = 16;
    static final int ALLOWED_FAST = 17;

    /** The largest block any client sends in one piece message. */
    static final int MAX_BLOCK = 16 * 1024;
    /** A piece message's id, index and begin; a little slack above them is harmless. */
    private static final int PIECE_OVERHEAD = 13;
    /**
     * The largest bitfield without metadata: one bit per piece hash that the largest metadata
     * we fetch can hold (8 MiB / 20 bytes = 419,430 pieces), rounded up to whole bytes.
     */
    public static final int MAX_BITFIELD_WITHOUT_METADATA = (ExtensionMessage.MAX_METADATA_SIZE / 20 + 7) / 8;
    /** Stands for the piece count before the metadata is known. */
    private static final int UNKNOWN = -1;

    private final int pieceCount;
    private final int bitfieldBytes;
    private final int maxLength;
    private final IntFunction<byte[]> blockArrays;

    public MessageCodec(int pieceCount) {
        this(pieceCount, byte[]::new);
    }

    /**
     * @param blockArrays where the arrays for blocks of piece messages come from, given their
     *     length; the codec fills every byte of them
     */
    public MessageCodec(int pieceCount, IntFunction<byte[]> blockArrays) {
        this(pieceCount, bitfieldBytes(pieceCount), blockArrays);
    }

    private static int bitfieldBytes(int pieceCount) {
        if (pieceCount <= 0) {
            throw new IllegalArgumentException("a torrent has at least one piece, not " + pieceCount);
        }
        return (pieceCount + 7) / 8;
    }

    private MessageCodec(int pieceCount, int bitfieldBytes, IntFunction<byte[]> blockArrays) {
        this.pieceCount = pieceCount;
        this.bitfieldBytes = bitfieldBytes;
        this.maxLength = Math.max(Math.max(MAX_BLOCK + PIECE_OVERHEAD, 1 + bitfieldBytes),
                2 + ExtensionCodec.MAX_HANDSHAKE);
        this.blockArrays = blockArrays;
    }

    /**
     * A codec for a torrent whose metadata we do not have yet (started from a magnet link):
     * a bitfield of any length up to {@link #MAX_BITFIELD_WITHOUT_METADATA} bytes is taken as
     * it is, and piece indexes are only checked not to be negative. Once the metadata is in,
     * the torrent makes a codec that knows its piece count.
     */
    public static MessageCodec withoutMetadata() {
        return new MessageCodec(UNKNOWN, MAX_BITFIELD_WITHOUT_METADATA, byte[]::new);
    }

    /** Whether this codec checks piece indexes and bitfields against a known piece count. */
    public boolean knowsPieceCount() {
        return pieceCount != UNKNOWN;
    }

    /** The piece count this codec checks against; empty for {@link #withoutMetadata()}. */
    public OptionalInt pieceCount() {
        return knowsPieceCount() ? OptionalInt.of(pieceCount) : OptionalInt.empty();
    }

    /** The largest length prefix {@link #read} accepts. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Reads one message, blocking until it is complete.
     *
     * @throws ProtocolException if the peer broke the protocol
     * @throws java.io.EOFException if the stream ends, between messages or inside one
     */
    public PeerMessage read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == 0) {
            return new KeepAlive();                      // keep-alive: <len=0000>
        }
        if (length < 0 || length > maxLength) {          // negative: a prefix of 2 GiB or more
            throw new ProtocolException("message of " + Integer.toUnsignedString(length)
                    + " bytes exceeds the limit of " + maxLength + " bytes for this torrent");
        }
        int id = in.readUnsignedByte();
        // Several reads in one argument list run left to right (JLS 15.7.4), as the fields lie.
        return switch (id) {
            case CHOKE -> {                              // choke: <len=0001><id=0>
                expectLength("choke", length, 1);
                yield new Choke();
            }
            case UNCHOKE -> {                            // unchoke: <len=0001><id=1>
                expectLength("unchoke", length, 1);
                yield new Unchoke();
            }
            case INTERESTED -> {                         // interested: <len=0001><id=2>
                expectLength("interested", length, 1);
                yield new Interested();
            }
            case NOT_INTERESTED -> {                     // not interested: <len=0001><id=3>
                expectLength("not interested", length, 1);
                yield new NotInterested();
            }
            case HAVE -> {                               // have: <len=0005><id=4><piece index>
                expectLength("have", length, 5);
                yield new Have(readPieceIndex("have", in));
            }
            case BITFIELD -> readBitfield(in, length);  // bitfield: <len=0001+X><id=5><bitfield>
            case REQUEST -> {                            // request: <len=0013><id=6><index><begin><length>
                expectLength("request", length, 13);
                yield new Request(readPieceIndex("request", in), readOffset("request", in),
                        readOffset("request", in));
            }
            case PIECE -> readPieceMessage(in, length);  // piece: <len=0009+X><id=7><index><begin><block>
            case CANCEL -> {                             // cancel: <len=0013><id=8><index><begin><length>
                expectLength("cancel", length, 13);
                yield new Cancel(readPieceIndex("cancel", in), readOffset("cancel", in),
                        readOffset("cancel", in));
            }
            case PORT -> {                               // port: <len=0003><id=9><listen-port, 2 bytes>
                expectLength("port", length, 3);
                yield new Port(in.readUnsignedShort());
            }
            case SUGGEST_PIECE -> {                      // suggest piece: <len=0005><id=13><piece index>
                expectLength("suggest piece", length, 5);
                yield new SuggestPiece(readPieceIndex("suggest piece", in));
            }
            case HAVE_ALL -> {                           // have all: <len=0001><id=14>
                expectLength("have all", length, 1);
                yield new HaveAll();
            }
            case HAVE_NONE -> {                          // have none: <len=0001><id=15>
                expectLength("have none", length, 1);
                yield new HaveNone();
            }
            case REJECT -> {                             // reject: <len=0013><id=16><index><begin><length>
                expectLength("reject", length, 13);
                yield new Reject(readPieceIndex("reject", in), readOffset("reject", in),
                        readOffset("reject", in));
            }
            case ALLOWED_FAST -> {                       // allowed fast: <len=0005><id=17><piece index>
                expectLength("allowed fast", length, 5);
                yield new AllowedFast(readPieceIndex("allowed fast", in));
            }
            case ExtensionCodec.EXTENDED -> ExtensionCodec.read(in, length); // <len><id=20><extended id><payload>
            default -> {
                in.skipNBytes(length - 1);               // throws EOFException if the stream ends
                yield new Unknown(id, length - 1);
            }
        };
    }

    private Bitfield readBitfield(DataInputStream in, int length) throws IOException {
        if (!knowsPieceCount()) {                        // any length up to the cap; no spare bits known
            if (length - 1 > bitfieldBytes) {
                throw new ProtocolException("bitfield of " + (length - 1) + " bytes exceeds the limit of "
                        + bitfieldBytes + " bytes (the largest metadata we fetch)");
            }
            byte[] bits = new byte[length - 1];
            in.readFully(bits);
            return new Bitfield(bits);
        }
        expectLength("bitfield", length, 1 + bitfieldBytes);
        byte[] bits = new byte[bitfieldBytes];
        in.readFully(bits);
        int spareBits = bitfieldBytes * 8 - pieceCount;
        if ((bits[bitfieldBytes - 1] & ((1 << spareBits) - 1)) != 0) {
            throw new ProtocolException("bitfield has spare bits set after the last of "
                    + pieceCount + " pieces");
        }
        return new Bitfield(bits);
    }

    private Piece readPieceMessage(DataInputStream in, int length) throws IOException {
        if (length <= 9) {
            throw new ProtocolException("piece message of " + length + " bytes carries no data");
        }
        if (length - 9 > MAX_BLOCK) {                    // the length limit leaves room for more
            throw new ProtocolException("piece message with a block of " + (length - 9)
                    + " bytes exceeds the limit of " + MAX_BLOCK + " bytes");
        }
        int piece = readPieceIndex("piece", in);
        int begin = readOffset("piece", in);
        byte[] data = blockArrays.apply(length - 9);
        in.readFully(data);
        return new Piece(piece, begin, data);
    }

    private int readPieceIndex(String message, DataInputStream in) throws IOException {
        int piece = in.readInt();
        if (piece < 0 || (knowsPieceCount() && piece >= pieceCount)) {
            throw new ProtocolException(message + " for piece " + Integer.toUnsignedString(piece)
                    + (knowsPieceCount() ? " of a torrent with " + pieceCount + " pieces" : ""));
        }
        return piece;
    }

    /** An offset or length inside a piece: unsigned on the wire, never 2 GiB or more. */
    private static int readOffset(String message, DataInputStream in) throws IOException {
        int value = in.readInt();
        if (value < 0) {
            throw new ProtocolException(message + " with offset or length "
                    + Integer.toUnsignedString(value) + " beyond any piece");
        }
        return value;
    }

    private static void expectLength(String message, int length, int expected) throws ProtocolException {
        if (length != expected) {
            throw new ProtocolException(message + " message of " + length + " bytes, expected " + expected);
        }
    }

    /**
     * Writes one message, without flushing. Extension messages other than the extended
     * handshake need the peer's ids: {@link #write(DataOutputStream, PeerMessage, ExtensionIds)}.
     *
     * @throws IllegalArgumentException for a message we must not send: a bitfield of the
     *         wrong size, a block larger than 16 KiB, an {@link Unknown}, an extension message
     *         other than the extended handshake
     */
    public void write(DataOutputStream out, PeerMessage message) throws IOException {
        write(out, message, ExtensionIds.NONE);
    }

    /**
     * Writes one message, without flushing; an {@link ExtensionMessage} goes under the id the
     * peer chose for its extension in its extended handshake ({@code remote}).
     *
     * @throws IllegalArgumentException for a message we must not send: as above, and an
     *         extension message whose extension the peer did not announce (ask
     *         {@link ExtensionIds#canSend} first)
     */
    public void write(DataOutputStream out, PeerMessage message, ExtensionIds remote) throws IOException {
        switch (message) {
            case KeepAlive k -> out.writeInt(0);
            case Choke c -> writeHeader(out, 1, CHOKE);
            case Unchoke u -> writeHeader(out, 1, UNCHOKE);
            case Interested i -> writeHeader(out, 1, INTERESTED);
            case NotInterested n -> writeHeader(out, 1, NOT_INTERESTED);
            case Have(int piece) -> writePieceIndex(out, HAVE, piece);
            case Bitfield(byte[] bits) -> {
                if (knowsPieceCount() ? bits.length != bitfieldBytes : bits.length > bitfieldBytes) {
                    throw new IllegalArgumentException("bitfield of " + bits.length + " bytes for "
                            + (knowsPieceCount() ? pieceCount + " pieces" : "an unknown piece count"));
                }
                writeHeader(out, 1 + bits.length, BITFIELD);
                out.write(bits);
            }
            case Request(int piece, int begin, int length) -> writeRequest(out, REQUEST, piece, begin, length);
            case Piece(int piece, int begin, byte[] data) -> writePiece(out, piece, begin, data, 0, data.length);
            case Cancel(int piece, int begin, int length) -> writeRequest(out, CANCEL, piece, begin, length);
            case Port(int port) -> {
                writeHeader(out, 3, PORT);
                out.writeShort(port);
            }
            case SuggestPiece(int piece) -> writePieceIndex(out, SUGGEST_PIECE, piece);
            case HaveAll a -> writeHeader(out, 1, HAVE_ALL);
            case HaveNone n -> writeHeader(out, 1, HAVE_NONE);
            case Reject(int piece, int begin, int length) -> writeRequest(out, REJECT, piece, begin, length);
            case AllowedFast(int piece) -> writePieceIndex(out, ALLOWED_FAST, piece);
            case ExtensionMessage e -> ExtensionCodec.write(out, e, remote);
            case Unknown u -> throw new IllegalArgumentException(
                    "pyto does not send messages it does not speak: " + u);
        }
    }

    /**
     * Writes a piece message straight from {@code src[off, off+len)}, so a block read from
     * disk into a reused buffer is sent without a copy into a {@link Piece} record.
     */
    public void writePiece(DataOutputStream out, int piece, int begin, byte[] src, int off, int len)
            throws IOException {
        if (len <= 0 || len > MAX_BLOCK) {
            throw new IllegalArgumentException("block of " + len + " bytes; blocks are 1.." + MAX_BLOCK);
        }
        writeHeader(out, 9 + len, PIECE);
        out.writeInt(piece);
        out.writeInt(begin);
        out.write(src, off, len);
    }

    private static void writePieceIndex(DataOutputStream out, int id, int piece) throws IOException {
        writeHeader(out, 5, id);
        out.writeInt(piece);
    }

    private static void writeRequest(DataOutputStream out, int id, int piece, int begin, int length)
            throws IOException {
        writeHeader(out, 13, id);
        out.writeInt(piece);
        out.writeInt(begin);
        out.writeInt(length);
    }

    private static void writeHeader(DataOutputStream out, int length, int id) throws IOException {
        out.writeInt(length);
        out.writeByte(id);
    }
}
