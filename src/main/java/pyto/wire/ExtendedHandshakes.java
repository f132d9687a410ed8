package pyto.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.wire.ExtensionMessage.ExtendedHandshake;

/**
 * The payload of BEP 10's extended handshake: one bencoded dictionary,
 * {@code d1:md11:ut_metadatai2e6:ut_pexi1ee1:pi6881e1:v13:pyto 0.1.0...e}.
 *
 * <p>Reading is lenient about content and strict about form: the payload must be one valid
 * dictionary, but a key we do not know is ignored, and so is a known key whose value is of
 * the wrong kind or out of range (the field is then absent), because clients disagree on the
 * optional keys and none of them is worth dropping a peer over. Stateless.
 */
final class ExtendedHandshakes {

    private ExtendedHandshakes() {
    }

    static ExtendedHandshake decode(byte[] payload) throws ProtocolException {
        BDict dict = ExtensionCodec.dictionary("extended handshake", payload);
        Map<String, Integer> extensions = new LinkedHashMap<>();
        dict.dict("m").ifPresent(m -> m.entries().forEach((name, id) -> {
            // an id of 0 switches the extension off (BEP 10): the same as not naming it
            if (id instanceof BInteger(long value) && value >= 1 && value <= 255) {
                extensions.put(name.text(), (int) value);
            }
        }));
        return new ExtendedHandshake(extensions,
                intIn(dict, "p", 1, 0xffff),
                dict.string("v").map(BString::text),
                intIn(dict, "reqq", 1, Integer.MAX_VALUE),
                dict.string("yourip").flatMap(ExtendedHandshakes::address),
                dict.integer("metadata_size").map(OptionalLong::of).orElse(OptionalLong.empty()),
                // BEP 21 says 1; like libtorrent, any other non-zero integer counts too
                dict.integer("upload_only").orElse(0L) != 0);
    }

    static byte[] encode(ExtendedHandshake handshake) {
        Map<BString, BValue> m = new LinkedHashMap<>();
        handshake.extensions().forEach((name, id) -> m.put(BString.of(name), new BInteger(id)));
        BDict.Builder dict = BDict.builder().put("m", new BDict(m));
        handshake.listenPort().ifPresent(p -> dict.put("p", p));
        handshake.client().ifPresent(v -> dict.put("v", v));
        handshake.requestQueue().ifPresent(reqq -> dict.put("reqq", reqq));
        handshake.yourIp().ifPresent(ip -> dict.put("yourip", ip.getAddress()));
        handshake.metadataSize().ifPresent(size -> dict.put("metadata_size", size));
        if (handshake.uploadOnly()) {
            dict.put("upload_only", 1);
        }
        return dict.build().encode();                     // canonical: keys sorted
    }

    private static OptionalInt intIn(BDict dict, String key, int min, int max) {
        return dict.integer(key)
                .filter(value -> value >= min && value <= max)
                .map(value -> OptionalInt.of(value.intValue()))
                .orElse(OptionalInt.empty());
    }

    /** 4 bytes are IPv4, 16 IPv6 (BEP 10); any other length is no address. */
    private static Optional<InetAddress> address(BString bytes) {
        if (bytes.length() != 4 && bytes.length() != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes.bytes()));   // no name lookup
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an address", e);
        }
    }
}
