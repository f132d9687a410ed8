package pyto.bencode;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bencoded dictionary: {@code d3:cow3:moo4:spam4:eggse}.
 *
 * <p>Keys keep the order in which they were read. BEP 3 says keys are sorted, but real torrents
 * break the rule, and the info hash is the SHA-1 of the info dictionary exactly as it stands in
 * the file: re-encoding a dictionary whose keys were out of order would hash different bytes.
 * So a decoded dictionary also remembers where each of its values lay in the input, and
 * {@link #rawBytes(String)} gives those bytes back untouched.
 *
 * <p>It is a class rather than a record because of that memory of the input: two dictionaries
 * are equal when their entries are, wherever they came from.
 */
public final class BDict implements BValue {

    /** Where one value lay in the decoder's input: {@code source[from, to)}. */
    record Span(byte[] source, int from, int to) {
        byte[] bytes() {
            return Arrays.copyOfRange(source, from, to);
        }
    }

    private final Map<BString, BValue> entries;
    private final Map<BString, Span> spans;

    /** A dictionary built in code; its raw bytes are its canonical encoding. */
    public BDict(Map<BString, BValue> entries) {
        this(new LinkedHashMap<>(entries), Map.of());
    }

    /** Used by the decoder, which has already copied the maps. */
    BDict(LinkedHashMap<BString, BValue> entries, Map<BString, Span> spans) {
        this.entries = Collections.unmodifiableMap(entries);
        this.spans = spans;
    }

    /** A builder for dictionaries made in code: {@code BDict.builder().put("port", 6881).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The entries in the order they were read (or put). */
    public Map<BString, BValue> entries() {
        return entries;
    }

    public boolean containsKey(String key) {
        return entries.containsKey(BString.of(key));
    }

    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(BString.of(key)));
    }

    /** The value under {@code key} when it is a byte string. */
    public Optional<BString> string(String key) {
        return get(key).filter(BString.class::isInstance).map(BString.class::cast);
    }

    /** The value under {@code key} when it is an integer. */
    public Optional<Long> integer(String key) {
        return get(key).filter(BInteger.class::isInstance).map(v -> ((BInteger) v).value());
    }

    public Optional<BList> list(String key) {
        return get(key).filter(BList.class::isInstance).map(BList.class::cast);
    }

    public Optional<BDict> dict(String key) {
        return get(key).filter(BDict.class::isInstance).map(BDict.class::cast);
    }

    /**
     * The bytes of the value under {@code key} exactly as they stood in the decoded input, or
     * its canonical encoding when this dictionary was built in code.
     */
    public Optional<byte[]> rawBytes(String key) {
        BString k = BString.of(key);
        Span span = spans.get(k);
        if (span != null) {
            return Optional.of(span.bytes());
        }
        return Optional.ofNullable(entries.get(k)).map(BValue::encode);
    }

    public int size() {
        return entries.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDict other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Collects entries for a dictionary made in code. */
    public static final class Builder {
        private final LinkedHashMap<BString, BValue> entries = new LinkedHashMap<>();

        public Builder put(String key, BValue value) {
            entries.put(BString.of(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder put(String key, String text) {
            return put(key, BString.of(text));
        }

        public Builder put(String key, byte[] bytes) {
            return put(key, new BString(bytes));
        }

        public Builder put(String key, long value) {
            return put(key, new BInteger(value));
        }

        public BDict build() {
            return new BDict(entries);
        }
    }
}
