package pyto.metainfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;

/**
 * The URLs outside the info dictionary: trackers ({@code announce}, BEP 3, and the tiers of
 * {@code announce-list}, BEP 12) and web seeds ({@code url-list}, BEP 19). Runs on the caller's
 * thread.
 *
 * <p>These are read leniently, because they are not covered by the info hash and a broken URL
 * harms nothing: URLs are trimmed (libtorrent's whitespace_url announces "\t udp://..."), blank
 * ones and anything that is not a string are dropped, and a URL appears at most once in a tier.
 * The same URL in two tiers is kept where it stands, since BEP 12 gives tiers an order;
 * {@link Metainfo#trackers()} lists each URL once. BEP 17's {@code httpseeds} are a different
 * protocol, which pyto does not speak, and are not read.
 */
final class TrackerUrls {

    private TrackerUrls() {
    }

    /** The announce-list's tiers, or {@code [[announce]]} when there is no usable announce-list. */
    static List<List<String>> tiers(BDict torrent) {
        List<List<String>> tiers = new ArrayList<>();
        for (BValue tier : torrent.list("announce-list").map(BList::values).orElse(List.of())) {
            if (tier instanceof BList urls) {
                List<String> cleaned = cleanUrls(urls.values());
                if (!cleaned.isEmpty()) {
                    tiers.add(cleaned);
                }
            }
        }
        if (tiers.isEmpty()) {
            clean(torrent.get("announce").orElse(null)).ifPresent(url -> tiers.add(List.of(url)));
        }
        return tiers;
    }

    /** The url-list: one URL as a string, or a list of them. */
    static List<String> webSeeds(BDict torrent) {
        return switch (torrent.get("url-list").orElse(null)) {
            case BList list -> cleanUrls(list.values());
            case BString url -> clean(url).stream().toList();
            case null, default -> List.of();
        };
    }

    private static List<String> cleanUrls(List<BValue> values) {
        Set<String> urls = new LinkedHashSet<>();
        for (BValue value : values) {
            clean(value).ifPresent(urls::add);
        }
        return List.copyOf(urls);
    }

    /** Tiers from elsewhere (a magnet link), cleaned as a torrent file's are; empty tiers dropped. */
    static List<List<String>> cleanTiers(List<List<String>> tiers) {
        return tiers.stream().map(TrackerUrls::cleanStrings).filter(tier -> !tier.isEmpty()).toList();
    }

    /** URLs from elsewhere, cleaned as a torrent file's are: trimmed, blank ones dropped, each once. */
    static List<String> cleanStrings(Collection<String> urls) {
        return urls.stream().map(String::strip).filter(url -> !url.isEmpty()).distinct().toList();
    }

    private static Optional<String> clean(BValue value) {
        if (value instanceof BString url) {
            String trimmed = url.text().strip();
            if (!trimmed.isEmpty()) {
                return Optional.of(trimmed);
            }
        }
        return Optional.empty();
    }
}
