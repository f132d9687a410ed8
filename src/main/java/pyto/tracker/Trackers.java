package pyto.tracker;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes a {@link Tracker} for an announce URL, choosing the protocol by the URL's scheme. The
 * one place that knows which protocols exist: a new one (UDP, BEP 15) is a new case here and
 * nothing changes for callers.
 */
public final class Trackers {

    /**
     * How long to wait for a tracker and how much of it to read.
     *
     * @param connectTimeout for the TCP connection
     * @param readTimeout for each read; a whole announce gets connect + read timeout in all
     * @param maxReplyBytes a larger reply is refused (a tracker reply is a few KiB)
     */
    public record Config(Duration connectTimeout, Duration readTimeout, int maxReplyBytes) {
        public static final Config DEFAULTS = new Config(Duration.ofSeconds(15), Duration.ofSeconds(30), 4 * 1024 * 1024);

        public Config {
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxReplyBytes <= 0) {
                throw new IllegalArgumentException("maxReplyBytes must be positive");
            }
        }
    }

    private Trackers() {
    }

    /** {@link #forUrl(String, Config)} with the default timeouts. */
    public static Optional<Tracker> forUrl(String url) {
        return forUrl(url, Config.DEFAULTS);
    }

    /**
     * The tracker behind {@code url}, or empty when it is not a URL we can announce to: an
     * unknown scheme (the caller logs a warning and skips it), no host, or not a URL at all.
     */
    public static Optional<Tracker> forUrl(String url, Config config) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return Optional.empty();
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http", "https" -> Optional.of(new HttpTracker(uri, config));
            // case "udp" -> BEP 15 goes here: Optional.of(new UdpTracker(uri, config));
            default -> Optional.empty();
        };
    }
}
