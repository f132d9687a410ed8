package pyto.tracker;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes a {@link Tracker} for an announce URL, choosing the protocol by the URL's scheme: HTTP(S)
 * (BEP 3) or UDP (BEP 15). The one place that knows which protocols exist: a new one is a new
 * case here and nothing changes for callers.
 */
public final class Trackers {

    /**
     * How long to wait for a tracker and how much of it to read.
     *
     * @param connectTimeout for the TCP connection
     * @param readTimeout for each read; a whole announce gets connect + read timeout in all
     * @param maxReplyBytes a larger reply is refused (a tracker reply is a few KiB)
     * @param udpTimeout BEP 15's first wait for a UDP answer (15 s); the n-th resend waits
     *     {@code udpTimeout * 2^n}
     * @param udpRetransmissions the largest n (0 to 8): after the wait that follows resend n, give up
     */
    public record Config(Duration connectTimeout, Duration readTimeout, int maxReplyBytes,
            Duration udpTimeout, int udpRetransmissions) {
        /**
         * BEP 15 allows resending up to n = 8, which is two hours of waiting on a dead tracker
         * while the rest of its tier waits too; we give up after n = 2 (1 min 45 s in all) and
         * let the {@link Announcer}'s backoff try again later.
         */
        public static final Config DEFAULTS = new Config(Duration.ofSeconds(15), Duration.ofSeconds(30), 4 * 1024 * 1024,
                Duration.ofSeconds(15), 2);

        public Config {
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                    || udpTimeout.isNegative() || udpTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxReplyBytes <= 0) {
                throw new IllegalArgumentException("maxReplyBytes must be positive");
            }
            if (udpRetransmissions < 0 || udpRetransmissions > 8) {
                throw new IllegalArgumentException("udpRetransmissions must be 0 to 8 (BEP 15), not " + udpRetransmissions);
            }
        }

        /** HTTP settings with the default UDP schedule. */
        public Config(Duration connectTimeout, Duration readTimeout, int maxReplyBytes) {
            this(connectTimeout, readTimeout, maxReplyBytes, DEFAULTS.udpTimeout(), DEFAULTS.udpRetransmissions());
        }

        /** These settings with another UDP retransmission schedule. */
        public Config withUdpSchedule(Duration firstTimeout, int retransmissions) {
            return new Config(connectTimeout, readTimeout, maxReplyBytes, firstTimeout, retransmissions);
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
            // BEP 15 has no default port: without one there is nothing to announce to
            case "udp" -> uri.getPort() > 0 && uri.getPort() <= 65535
                    ? Optional.of(new UdpTracker(uri, config)) : Optional.empty();
            default -> Optional.empty();
        };
    }
}
