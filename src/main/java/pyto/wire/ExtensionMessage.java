package pyto.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The messages carried by the extension protocol (BEP 10): message id 20, then an extended
 * id, then a payload, {@code <len><20><extended id><payload>}. Extended id 0 is the
 * {@link ExtendedHandshake}; every other id means whatever the receiver's handshake said it
 * means ({@link ExtensionIds}). {@link MessageCodec} reads and writes them with the help of
 * {@code ExtensionCodec}; each extension's payload layout has a small file of its own
 * ({@code ExtendedHandshakes}, {@code MetadataMessages}, {@code PexMessages}).
 *
 * <p>A sealed sub-interface of {@link PeerMessage}, so a peer can hand all of them to one
 * place ({@code case ExtensionMessage e -> extensions.handle(e)}) and switch over them there,
 * exhaustively. It is a file of its own rather than nested in {@code PeerMessage} to keep
 * both files short.
 */
public sealed interface ExtensionMessage extends PeerMessage {

    /** BEP 9: the metadata (the info dictionary) travels in pieces of 16 KiB; the last may be shorter. */
    int METADATA_PIECE_SIZE = 16 * 1024;

    /**
     * The largest metadata (info dictionary) pyto fetches from peers: 8 MiB, room for 419,430
     * piece hashes. A larger {@code metadata_size} is the peer layer's to refuse.
     */
    int MAX_METADATA_SIZE = 8 * 1024 * 1024;

    /**
     * BEP 10's handshake, extended id 0, sent once by each side after the BEP 3 handshake when
     * both set the extension-protocol bit. Unknown keys are ignored when reading, and so are
     * known keys whose values make no sense (a port of 0, an address of 5 bytes): each field is
     * then absent, as when the key is missing.
     *
     * @param extensions {@code m}: extension name to the extended id the sender wants to
     *     receive that extension's messages under, 1..255; an id of 0 on the wire means "off"
     *     and is left out
     * @param listenPort {@code p}: the TCP port the sender accepts connections on, 1..65535
     * @param client {@code v}: the sender's name and version, e.g. "libTorrent 2.0.8"
     * @param requestQueue {@code reqq}: how many outstanding requests the sender keeps
     *     without dropping any, at least 1
     * @param yourIp {@code yourip}: the address the sender sees us at (4 or 16 bytes)
     * @param metadataSize {@code metadata_size} (BEP 9): the size of the info dictionary in
     *     bytes, as the sender says; not checked here
     * @param uploadOnly {@code upload_only} (BEP 21): the sender wants nothing more (a seed or
     *     a partial seed)
     */
    record ExtendedHandshake(Map<String, Integer> extensions, OptionalInt listenPort,
            Optional<String> client, OptionalInt requestQueue, Optional<InetAddress> yourIp,
            OptionalLong metadataSize, boolean uploadOnly) implements ExtensionMessage {

        public ExtendedHandshake {
            TreeMap<String, Integer> sorted = new TreeMap<>(extensions);
            sorted.forEach((name, id) -> {
                if (id == null || id < 1 || id > 255) {
                    throw new IllegalArgumentException("extended id of " + name + " is 1..255, not " + id);
                }
            });
            extensions = Collections.unmodifiableMap(sorted);
            if (listenPort.isPresent() && (listenPort.getAsInt() < 1 || listenPort.getAsInt() > 0xffff)) {
                throw new IllegalArgumentException("a listen port is 1..65535, not " + listenPort.getAsInt());
            }
            if (requestQueue.isPresent() && requestQueue.getAsInt() < 1) {
                throw new IllegalArgumentException("a request queue is at least 1, not " + requestQueue.getAsInt());
            }
            Objects.requireNonNull(client);
            Objects.requireNonNull(yourIp);
            Objects.requireNonNull(metadataSize);
        }

        /** A handshake that announces {@code ids} and nothing else; add the rest with the {@code with} methods. */
        public static ExtendedHandshake of(ExtensionIds ids) {
            return new ExtendedHandshake(ids.asMap(), OptionalInt.empty(), Optional.empty(),
                    OptionalInt.empty(), Optional.empty(), OptionalLong.empty(), false);
        }

        public ExtendedHandshake withListenPort(int port) {
            return new ExtendedHandshake(extensions, OptionalInt.of(port), client, requestQueue, yourIp,
                    metadataSize, uploadOnly);
        }

        public ExtendedHandshake withClient(String name) {
            return new ExtendedHandshake(extensions, listenPort, Optional.of(name), requestQueue, yourIp,
                    metadataSize, uploadOnly);
        }

        public ExtendedHandshake withRequestQueue(int requests) {
            return new ExtendedHandshake(extensions, listenPort, client, OptionalInt.of(requests), yourIp,
                    metadataSize, uploadOnly);
        }

        public ExtendedHandshake withYourIp(InetAddress address) {
            return new ExtendedHandshake(extensions, listenPort, client, requestQueue, Optional.of(address),
                    metadataSize, uploadOnly);
        }

        public ExtendedHandshake withMetadataSize(long bytes) {
            return new ExtendedHandshake(extensions, listenPort, client, requestQueue, yourIp,
                    OptionalLong.of(bytes), uploadOnly);
        }

        public ExtendedHandshake withUploadOnly(boolean only) {
            return new ExtendedHandshake(extensions, listenPort, client, requestQueue, yourIp,
                    metadataSize, only);
        }

        /** The ids to send this handshake's sender its extension messages under. */
        public ExtensionIds ids() {
            return ExtensionIds.of(extensions);
        }

        /** {@code extended handshake "libTorrent 2.0.8" p 6881 reqq 500 m {ut_metadata=2, ut_pex=1}}. */
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder("extended handshake");
            client.ifPresent(v -> line.append(" \"").append(printable(v)).append('"'));
            listenPort.ifPresent(p -> line.append(" p ").append(p));
            requestQueue.ifPresent(q -> line.append(" reqq ").append(q));
            yourIp.ifPresent(ip -> line.append(" yourip ").append(ip.getHostAddress()));
            metadataSize.ifPresent(size -> line.append(" metadata_size ").append(size));
            if (uploadOnly) {
                line.append(" upload_only");
            }
            return line.append(" m ").append(printable(extensions.toString())).toString();
        }
    }

    /** BEP 9, msg_type 0: asks for one 16 KiB piece of the metadata. */
    record MetadataRequest(int piece) implements ExtensionMessage {
        public MetadataRequest {
            requireMetadataPiece(piece);
        }

        @Override
        public String toString() {
            return "metadata request " + piece;
        }
    }

    /**
     * BEP 9, msg_type 1: one piece of the metadata, of a metadata of {@code totalSize} bytes.
     * Whether the piece and its length fit that size is the peer layer's to check.
     */
    record MetadataData(int piece, int totalSize, byte[] data) implements ExtensionMessage {
        public MetadataData {
            requireMetadataPiece(piece);
            if (totalSize < 1) {
                throw new IllegalArgumentException("metadata of " + totalSize + " bytes");
            }
            if (data.length < 1 || data.length > METADATA_PIECE_SIZE) {
                throw new IllegalArgumentException("metadata piece of " + data.length
                        + " bytes; pieces are 1.." + METADATA_PIECE_SIZE);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MetadataData other && piece == other.piece && totalSize == other.totalSize
                    && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return (31 * piece + totalSize) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "metadata piece " + piece + " (" + data.length + " bytes of " + totalSize + ")";
        }
    }

    /** BEP 9, msg_type 2: the sender will not send this piece of the metadata. */
    record MetadataReject(int piece) implements ExtensionMessage {
        public MetadataReject {
            requireMetadataPiece(piece);
        }

        @Override
        public String toString() {
            return "metadata reject " + piece;
        }
    }

    /**
     * BEP 11, ut_pex: peers the sender connected to ({@code added}) and lost
     * ({@code dropped}) since its last such message, IPv4 and IPv6 together. At most
     * {@value #MAX_PEERS} of each: more in one message is a peer flooding us. On the wire
     * IPv4 and IPv6 peers travel in separate strings, so read back, each list has its IPv4
     * peers first.
     */
    record PeerExchange(List<PexPeer> added, List<InetSocketAddress> dropped) implements ExtensionMessage {

        public static final int MAX_PEERS = 200;

        public PeerExchange {
            added = List.copyOf(added);
            dropped = List.copyOf(dropped);
            if (added.size() > MAX_PEERS || dropped.size() > MAX_PEERS) {
                throw new IllegalArgumentException("pex of " + added.size() + " added and " + dropped.size()
                        + " dropped peers; at most " + MAX_PEERS + " of each");
            }
            dropped.forEach(PexPeer::requireResolved);
        }

        /** {@code pex +2 -1: added 10.0.0.1:6881 (seed), [2001:db8::1]:51413; dropped 10.0.0.9:6881}. */
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder("pex +" + added.size() + " -" + dropped.size());
            if (!added.isEmpty()) {
                line.append(": added ").append(firstFew(added.stream().map(PexPeer::toString).toList()));
            }
            if (!dropped.isEmpty()) {
                line.append(added.isEmpty() ? ": dropped " : "; dropped ")
                        .append(firstFew(dropped.stream().map(PexPeer::format).toList()));
            }
            return line.toString();
        }

        /** The first five, so that a trace line of 200 peers stays readable. */
        private static String firstFew(List<String> items) {
            int shown = 5;
            String head = String.join(", ", items.subList(0, Math.min(shown, items.size())));
            return items.size() > shown ? head + ", ..." : head;
        }

        /** A peer in {@code added}, with the flags byte of {@code added.f}/{@code added6.f}. */
        public record PexPeer(InetSocketAddress address, int flags) {

            /** 0x01: the peer prefers encrypted connections. */
            public static final int PREFERS_ENCRYPTION = 0x01;
            /** 0x02: the peer is a seed, or upload only (BEP 21). */
            public static final int SEED = 0x02;
            /** 0x04: the peer speaks uTP (BEP 29). */
            public static final int UTP = 0x04;
            /** 0x08: the peer supports the holepunch extension (BEP 55). */
            public static final int HOLEPUNCH = 0x08;
            /** 0x10: the sender reached the peer by an outgoing connection: it accepts them. */
            public static final int REACHABLE = 0x10;

            private static final String[] FLAG_NAMES = {"encryption", "seed", "utp", "holepunch", "reachable"};

            public PexPeer {
                requireResolved(address);
                if (flags < 0 || flags > 0xff) {
                    throw new IllegalArgumentException("pex flags are one byte, not " + flags);
                }
            }

            public PexPeer(InetSocketAddress address) {
                this(address, 0);
            }

            public boolean has(int flag) {
                return (flags & flag) != 0;
            }

            @Override
            public String toString() {
                StringJoiner names = new StringJoiner(", ", " (", ")").setEmptyValue("");
                for (int bit = 0; bit < 8; bit++) {
                    if (has(1 << bit)) {
                        names.add(bit < FLAG_NAMES.length ? FLAG_NAMES[bit] : "0x" + Integer.toHexString(1 << bit));
                    }
                }
                return format(address) + names;
            }

            /** {@code 10.0.0.1:6881} or {@code [2001:db8::1]:6881}. */
            static String format(InetSocketAddress address) {
                String host = address.getAddress().getHostAddress();
                return (address.getAddress() instanceof Inet4Address ? host : "[" + host + "]") + ":" + address.getPort();
            }

            static void requireResolved(InetSocketAddress address) {
                if (address.isUnresolved()) {
                    throw new IllegalArgumentException("pex carries addresses, not host names: " + address);
                }
            }
        }
    }

    /**
     * libtorrent's upload_only message (the extension of BEP 21): the sender wants nothing
     * more from us ({@code true}) or wants pieces again ({@code false}). One byte of payload.
     */
    record UploadOnly(boolean uploadOnly) implements ExtensionMessage {
        @Override
        public String toString() {
            return uploadOnly ? "upload only" : "not upload only";
        }
    }

    /**
     * An extended id we did not announce, or a ut_metadata message of a type BEP 9 does not
     * define: read and skipped so the stream stays in step.
     *
     * @param length payload bytes after the extended id, skipped and not kept
     */
    record UnknownExtended(int id, int length) implements ExtensionMessage {
        @Override
        public String toString() {
            return "unknown extended message id " + id + " (" + length + " bytes)";
        }
    }

    private static void requireMetadataPiece(int piece) {
        if (piece < 0) {
            throw new IllegalArgumentException("metadata piece " + piece);
        }
    }

    /** Text from a peer for a one-line trace: control characters (a newline in a client name) as '?'. */
    private static String printable(String text) {
        return text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
