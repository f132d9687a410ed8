package pyto.wire;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.UnknownExtended;
import pyto.wire.ExtensionMessage.UploadOnly;

/**
 * Which extended id means which extension on one side of a connection (BEP 10): the
 * {@code m} dictionary of that side's extended handshake, extension name to id, 1..255.
 *
 * <p>Each side picks the ids it wants to <em>receive</em> under. So messages coming in carry
 * the ids of {@link #OURS}, which we announce to every peer, and messages going out must carry
 * the ids the peer announced ({@link ExtendedHandshake#ids()}). Immutable; any thread.
 */
public final class ExtensionIds {

    /** BEP 9: fetching the metadata (the info dictionary) from peers. */
    public static final String UT_METADATA = "ut_metadata";
    /** BEP 11: peer exchange. */
    public static final String UT_PEX = "ut_pex";
    /** libtorrent's upload-only message (the extension of BEP 21). */
    public static final String UPLOAD_ONLY = "upload_only";

    /** The ids pyto receives under: the ones libtorrent uses, so traces of both read alike. */
    public static final ExtensionIds OURS = of(Map.of(UT_PEX, 1, UT_METADATA, 2, UPLOAD_ONLY, 3));

    /** A peer that announced no extension (or sent no extended handshake yet). */
    public static final ExtensionIds NONE = of(Map.of());

    private final Map<String, Integer> ids;

    private ExtensionIds(Map<String, Integer> ids) {
        this.ids = ids;
    }

    /**
     * @throws IllegalArgumentException for an id outside 1..255 (the decoder of a handshake
     *     has already dropped those, and 0, which means "off")
     */
    public static ExtensionIds of(Map<String, Integer> ids) {
        TreeMap<String, Integer> sorted = new TreeMap<>(ids);
        sorted.forEach((name, id) -> {
            if (id == null || id < 1 || id > 255) {
                throw new IllegalArgumentException("extended id of " + name + " is 1..255, not " + id);
            }
        });
        return new ExtensionIds(Collections.unmodifiableMap(sorted));
    }

    public OptionalInt id(String name) {
        Integer id = ids.get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public boolean supports(String name) {
        return ids.containsKey(name);
    }

    /** The extension that {@code id} stands for; a peer may give two names one id, the first wins. */
    public Optional<String> name(int id) {
        return ids.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst();
    }

    /** Name to id, sorted by name: what an extended handshake's {@code m} holds. */
    public Map<String, Integer> asMap() {
        return ids;
    }

    /**
     * Whether {@code message} may go to the side these ids belong to: the extended handshake
     * always may (its id, 0, is fixed), any other only if that side announced its extension.
     * An {@link UnknownExtended} never may.
     */
    public boolean canSend(ExtensionMessage message) {
        return !(message instanceof UnknownExtended) && extensionOf(message).map(this::supports).orElse(true);
    }

    /**
     * The extended id to send {@code message} under to the side these ids belong to.
     *
     * @throws IllegalArgumentException if {@link #canSend} says no
     */
    int idFor(ExtensionMessage message) {
        if (message instanceof UnknownExtended u) {
            throw new IllegalArgumentException("pyto does not send extended messages it does not speak: " + u);
        }
        Optional<String> name = extensionOf(message);
        if (name.isEmpty()) {
            return 0;                                    // the extended handshake
        }
        return id(name.get()).orElseThrow(() -> new IllegalArgumentException("the peer did not announce "
                + name.get() + " in its extended handshake; cannot send " + message));
    }

    /** The {@code m} name a message travels under; none for the handshake, which has id 0. */
    private static Optional<String> extensionOf(ExtensionMessage message) {
        return switch (message) {
            case ExtendedHandshake h -> Optional.empty();
            case MetadataRequest r -> Optional.of(UT_METADATA);
            case MetadataData d -> Optional.of(UT_METADATA);
            case MetadataReject r -> Optional.of(UT_METADATA);
            case PeerExchange p -> Optional.of(UT_PEX);
            case UploadOnly u -> Optional.of(UPLOAD_ONLY);
            case UnknownExtended u -> Optional.empty();  // refused by the callers before they ask
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionIds other && ids.equals(other.ids);
    }

    @Override
    public int hashCode() {
        return ids.hashCode();
    }

    @Override
    public String toString() {
        return ids.toString();
    }
}
