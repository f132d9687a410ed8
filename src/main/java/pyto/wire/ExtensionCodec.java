package pyto.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;
import pyto.bencode.BDict;
import pyto.bencode.BencodeDecoder;
import pyto.bencode.BencodeException;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.UnknownExtended;
import pyto.wire.ExtensionMessage.UploadOnly;

/**
 * Message id 20 of {@link MessageCodec}: the extension protocol's frame (BEP 10),
 * {@code <len><20><extended id><payload>}. It reads the extended id, checks the payload's
 * length against the limit of its extension before reading it, and hands the payload to the
 * file that knows that extension's layout. Incoming ids are {@link ExtensionIds#OURS}
 * (we told the peer which ids to use); outgoing ones are the peer's.
 *
 * <p>Stateless; runs on the connection's reader or writer thread.
 */
final class ExtensionCodec {

    static final int EXTENDED = 20;

    /** Generous: a real extended handshake is a few hundred bytes. */
    static final int MAX_HANDSHAKE = 64 * 1024;
    /** A 16 KiB piece of metadata and its small dictionary (BEP 9). */
    static final int MAX_METADATA_MESSAGE = 16 * 1024 + 1024;
    /** 200 added and 200 dropped IPv6 peers with flags take some 7.5 KiB; anything past this is not pex. */
    static final int MAX_PEX = 64 * 1024;

    private ExtensionCodec() {
    }

    /**
     * Reads the rest of an extended message whose length prefix said {@code length} (the
     * message id, 20, is already read).
     */
    static ExtensionMessage read(DataInputStream in, int length) throws IOException {
        if (length < 2) {
            throw new ProtocolException("extended message of " + length + " byte has no extended id");
        }
        int id = in.readUnsignedByte();
        int size = length - 2;
        if (id == 0) {                                    // handshake: <len><20><0><bencoded dict>
            return ExtendedHandshakes.decode(payload(in, "extended handshake", size, MAX_HANDSHAKE));
        }
        Optional<String> name = ExtensionIds.OURS.name(id);
        if (name.isEmpty()) {
            in.skipNBytes(size);
            return new UnknownExtended(id, size);
        }
        return switch (name.get()) {
            case ExtensionIds.UT_METADATA ->               // <len><20><id><dict>[<metadata piece>]
                    MetadataMessages.decode(id, payload(in, "ut_metadata message", size, MAX_METADATA_MESSAGE));
            case ExtensionIds.UT_PEX ->                    // <len><20><id><dict>
                    PexMessages.decode(payload(in, "ut_pex message", size, MAX_PEX));
            case ExtensionIds.UPLOAD_ONLY -> {             // <len=0003><20><id><0 or 1>
                if (size != 1) {
                    throw new ProtocolException("upload_only message of " + size + " bytes, expected 1");
                }
                yield new UploadOnly(in.readUnsignedByte() != 0);
            }
            default -> {                                   // a name added to OURS without a case here
                in.skipNBytes(size);
                yield new UnknownExtended(id, size);
            }
        };
    }

    /** Reads a payload of {@code size} bytes once it is known not to exceed {@code limit}. */
    private static byte[] payload(DataInputStream in, String what, int size, int limit) throws IOException {
        if (size > limit) {
            throw new ProtocolException(what + " of " + size + " bytes exceeds the limit of " + limit + " bytes");
        }
        byte[] payload = new byte[size];
        in.readFully(payload);
        return payload;
    }

    /** The payload as a bencoded dictionary, or a ProtocolException that says why it is not one. */
    static BDict dictionary(String what, byte[] payload) throws ProtocolException {
        try {
            return BencodeDecoder.decodeDict(payload);
        } catch (BencodeException e) {
            throw new ProtocolException(what + " is not a bencoded dictionary: " + e.getMessage());
        }
    }

    /**
     * Writes {@code message} under the id {@code remote} gave its extension.
     *
     * @throws IllegalArgumentException if the peer did not announce the extension
     *     ({@link ExtensionIds#canSend}), or the payload would exceed what a peer accepts
     */
    static void write(DataOutputStream out, ExtensionMessage message, ExtensionIds remote) throws IOException {
        int id = remote.idFor(message);
        byte[] payload = switch (message) {
            case ExtendedHandshake h -> ExtendedHandshakes.encode(h);
            case MetadataRequest r -> MetadataMessages.encode(r);
            case MetadataData d -> MetadataMessages.encode(d);
            case MetadataReject r -> MetadataMessages.encode(r);
            case PeerExchange p -> PexMessages.encode(p);
            case UploadOnly(boolean uploadOnly) -> new byte[] {(byte) (uploadOnly ? 1 : 0)};
            case UnknownExtended u -> throw new IllegalArgumentException("cannot send " + u);
        };
        int limit = switch (message) {
            case MetadataRequest r -> MAX_METADATA_MESSAGE;
            case MetadataData d -> MAX_METADATA_MESSAGE;
            case MetadataReject r -> MAX_METADATA_MESSAGE;
            case PeerExchange p -> MAX_PEX;
            case ExtendedHandshake h -> MAX_HANDSHAKE;
            case UploadOnly u -> 1;
            case UnknownExtended u -> 0;
        };
        if (payload.length > limit) {
            throw new IllegalArgumentException(message + ": " + payload.length
                    + " bytes, more than a peer accepts (" + limit + ")");
        }
        out.writeInt(2 + payload.length);
        out.writeByte(EXTENDED);
        out.writeByte(id);
        out.write(payload);
    }
}
