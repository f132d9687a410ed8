package pyto.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import pyto.bencode.BDict;
import pyto.bencode.BencodeDecoder;
import pyto.bencode.BencodeException;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.UnknownExtended;

/**
 * The payloads of ut_metadata (BEP 9), fetching the info dictionary from peers in 16 KiB
 * pieces. Each is a bencoded dictionary; a data message has the piece's raw bytes after it:
 * <pre>
 * request  d8:msg_typei0e5:piecei0ee
 * data     d8:msg_typei1e5:piecei0e10:total_sizei31235ee&lt;up to 16 KiB of the info dictionary&gt;
 * reject   d8:msg_typei2e5:piecei0ee
 * </pre>
 *
 * <p>A msg_type BEP 9 does not define is skipped as an {@link UnknownExtended}, not refused:
 * the BEP asks receivers to ignore unknown types, so that new ones can be added. Bytes after
 * the dictionary of a request or a reject are refused, as is a missing or negative piece:
 * the peer does not speak BEP 9 as we do. Stateless.
 */
final class MetadataMessages {

    private static final int REQUEST = 0;
    private static final int DATA = 1;
    private static final int REJECT = 2;

    private MetadataMessages() {
    }

    /** @param id the extended id the message came under, kept by an {@link UnknownExtended} */
    static ExtensionMessage decode(int id, byte[] payload) throws ProtocolException {
        BencodeDecoder.Prefix prefix;
        try {
            prefix = BencodeDecoder.decodePrefix(payload, 0);
        } catch (BencodeException e) {
            throw new ProtocolException("ut_metadata message is not a bencoded dictionary: " + e.getMessage());
        }
        if (!(prefix.value() instanceof BDict dict)) {
            throw new ProtocolException("ut_metadata message is not a bencoded dictionary: "
                    + "expected a dictionary at byte 0");
        }
        long type = dict.integer("msg_type")
                .orElseThrow(() -> new ProtocolException("ut_metadata message without an integer msg_type"));
        int after = payload.length - prefix.end();
        if (type == DATA) {
            long totalSize = dict.integer("total_size").orElse(0L);
            if (totalSize < 1 || totalSize > Integer.MAX_VALUE) {
                throw new ProtocolException("ut_metadata data message with total_size " + totalSize);
            }
            if (after < 1 || after > ExtensionMessage.METADATA_PIECE_SIZE) {
                throw new ProtocolException("ut_metadata data message with a piece of " + after
                        + " bytes; pieces are 1.." + ExtensionMessage.METADATA_PIECE_SIZE);
            }
            byte[] data = Arrays.copyOfRange(payload, prefix.end(), payload.length);
            return new MetadataData(piece(dict), (int) totalSize, data);
        }
        if (type != REQUEST && type != REJECT) {
            return new UnknownExtended(id, payload.length);
        }
        if (after != 0) {
            throw new ProtocolException("ut_metadata " + (type == REQUEST ? "request" : "reject")
                    + " with " + after + " bytes after its dictionary");
        }
        return type == REQUEST ? new MetadataRequest(piece(dict)) : new MetadataReject(piece(dict));
    }

    private static int piece(BDict dict) throws ProtocolException {
        long piece = dict.integer("piece")
                .orElseThrow(() -> new ProtocolException("ut_metadata message without an integer piece"));
        if (piece < 0 || piece > Integer.MAX_VALUE) {
            throw new ProtocolException("ut_metadata message for piece " + piece);
        }
        return (int) piece;
    }

    static byte[] encode(MetadataRequest request) {
        return header(REQUEST, request.piece()).build().encode();
    }

    static byte[] encode(MetadataReject reject) {
        return header(REJECT, reject.piece()).build().encode();
    }

    static byte[] encode(MetadataData data) {
        byte[] dict = header(DATA, data.piece()).put("total_size", data.totalSize()).build().encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream(dict.length + data.data().length);
        out.writeBytes(dict);
        out.writeBytes(data.data());
        return out.toByteArray();
    }

    private static BDict.Builder header(int type, int piece) {
        return BDict.builder().put("msg_type", type).put("piece", piece);
    }
}
