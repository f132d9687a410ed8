package pyto.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tracker's answer to an announce (BEP 3), with the peers of BEP 23 (compact) and BEP 7
 * (IPv6) already decoded into addresses. A {@code failure reason} never becomes a response: it
 * is a {@link TrackerException}.
 *
 * @param interval how long to wait before the next regular announce, as the tracker sent it
 *     (the {@link Announcer} clamps silly values)
 * @param minInterval how long to wait at least before announcing early, when given
 * @param trackerId an id to send back in later announces, when given
 * @param seeders the tracker's {@code complete} count, when given
 * @param leechers the tracker's {@code incomplete} count, when given
 * @param peers IPv4 and IPv6 peers, without duplicates
 * @param warning a {@code warning message}: the announce worked but the tracker wants it shown
 * @param externalIp BEP 24's {@code external ip}: the address the tracker sees us at, when given
 */
public record AnnounceResponse(
        Duration interval,
        Optional<Duration> minInterval,
        Optional<String> trackerId,
        OptionalInt seeders,
        OptionalInt leechers,
        List<InetSocketAddress> peers,
        Optional<String> warning,
        Optional<InetAddress> externalIp) {

    public AnnounceResponse {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(trackerId, "trackerId");
        Objects.requireNonNull(seeders, "seeders");
        Objects.requireNonNull(leechers, "leechers");
        Objects.requireNonNull(warning, "warning");
        Objects.requireNonNull(externalIp, "externalIp");
        peers = List.copyOf(peers);
    }
}
