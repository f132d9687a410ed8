package pyto.peer;

import java.time.Duration;

/**
 * How long a connection may stay quiet (BEP 3, "keep-alive"): we send a keep-alive after
 * {@code keepAlive} without sending anything, and drop a peer that has sent us nothing at
 * all for {@code silence}. Clients send keep-alives about every two minutes, so the limit
 * is a little over that.
 *
 * <p>Both are checked by the torrent's periodic task ({@link Swarm#checkPeers}), not by
 * timed socket reads and waits: a timed read or wait on a virtual thread arms a timer every
 * time it blocks, which on a fast connection is thousands of times a second.
 */
public record PeerTimeouts(Duration keepAlive, Duration silence) {

    public static final PeerTimeouts DEFAULTS = new PeerTimeouts(Duration.ofSeconds(90), Duration.ofMinutes(2).plusSeconds(10));

    public PeerTimeouts {
        if (keepAlive.isNegative() || keepAlive.isZero() || silence.compareTo(keepAlive) <= 0) {
            throw new IllegalArgumentException("keep-alive " + keepAlive + " must be positive and shorter than the silence limit " + silence);
        }
    }
}
