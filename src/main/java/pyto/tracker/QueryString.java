package pyto.tracker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pyto.metainfo.UrlBytes;

/**
 * A URL query string decoded into raw bytes per key, as the embedded tracker receives it.
 * BEP 3's {@code info_hash} and {@code peer_id} are binary, percent-encoded byte by byte, so they
 * must never pass through a text decoder; a key may repeat ({@code info_hash} in a scrape).
 */
final class QueryString {

    private final Map<String, List<byte[]>> values;

    private QueryString(Map<String, List<byte[]>> values) {
        this.values = values;
    }

    /**
     * Parses {@code a=1&b=%00%ff&c}; a key without '=' has an empty value.
     *
     * @throws IllegalArgumentException for a malformed %-escape or a non-ASCII character
     */
    static QueryString parse(String rawQuery) {
        Map<String, List<byte[]>> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                String decodedKey = new String(UrlBytes.decode(key), StandardCharsets.ISO_8859_1);
                values.computeIfAbsent(decodedKey, k -> new ArrayList<>()).add(UrlBytes.decode(value));
            }
        }
        return new QueryString(values);
    }

    /** The first value of {@code key}. */
    Optional<byte[]> bytes(String key) {
        List<byte[]> all = values.get(key);
        return all == null ? Optional.empty() : Optional.of(all.get(0).clone());
    }

    /** The first value of {@code key} as text (Latin-1: one char per byte, so nothing is lost). */
    Optional<String> text(String key) {
        return bytes(key).map(b -> new String(b, StandardCharsets.ISO_8859_1));
    }

    /** Every value of {@code key}, in order. */
    List<byte[]> all(String key) {
        return values.getOrDefault(key, List.of()).stream().map(byte[]::clone).toList();
    }
}
