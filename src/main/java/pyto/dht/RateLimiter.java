package pyto.dht;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the node from being a weapon or a victim. Per source address, a small burst of
 * queries and then a few a second; beyond that, silence: a forged source address cannot
 * make us send a victim more than a trickle (mldht's SpamThrottle and libtorrent's per-IP
 * limit do the same). And one cap on everything the node sends per second, replies and our
 * own queries alike.
 *
 * <p>Memory stays bounded: at most {@code maxSources} addresses are tracked, the least
 * recently heard dropped first (a dropped address only starts again with a fresh burst).
 * Sources are keyed like routing table entries ({@link Addresses#key}): by IP on the Internet,
 * by IP and port on local networks. Called by the reader and sender threads; a lock guards it.
 */
final class RateLimiter {

    private final InstantSource clock;
    private final int burst;
    private final double perSecond;
    private final int maxSources;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, Bucket> sources;
    private final Bucket sends; // null: no cap

    /**
     * @param burst        queries a source may send at once
     * @param perSecond    and then per second
     * @param maxSources   sources remembered at most
     * @param sendsPerSecond packets the node sends per second at most; 0 for no cap
     */
    RateLimiter(InstantSource clock, int burst, double perSecond, int maxSources, double sendsPerSecond) {
        this.clock = clock;
        this.burst = burst;
        this.perSecond = perSecond;
        this.maxSources = maxSources;
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
                return size() > RateLimiter.this.maxSources;
            }
        };
        this.sends = sendsPerSecond > 0 ? new Bucket(Math.max(16, sendsPerSecond / 4), sendsPerSecond, nanos()) : null;
    }

    /** Whether a query from {@code source} may be answered; counts it. */
    boolean allowFrom(InetSocketAddress source) {
        long now = nanos();
        lock.lock();
        try {
            Bucket bucket = sources.computeIfAbsent(Addresses.key(source), k -> new Bucket(burst, perSecond, now));
            return bucket.tryTake(now);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a reply may go out now (one packet of the global cap); a reply that may not is dropped. */
    boolean allowSend() {
        if (sends == null) {
            return true;
        }
        long now = nanos();
        lock.lock();
        try {
            return sends.tryTake(now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes one packet of the global cap for a query of ours, which waits rather than being
     * dropped: returns how many nanoseconds the caller must wait before sending it.
     */
    long reserveSend() {
        if (sends == null) {
            return 0;
        }
        long now = nanos();
        lock.lock();
        try {
            return sends.reserve(now);
        } finally {
            lock.unlock();
        }
    }

    int trackedSources() {
        lock.lock();
        try {
            return sources.size();
        } finally {
            lock.unlock();
        }
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** A token bucket: {@code capacity} tokens at most, refilled at {@code rate} per second. */
    private static final class Bucket {
        private final double capacity;
        private final double rate;
        private double tokens;
        private long refilled;

        Bucket(double capacity, double rate, long now) {
            this.capacity = capacity;
            this.rate = rate;
            this.tokens = capacity;
            this.refilled = now;
        }

        boolean tryTake(long now) {
            refill(now);
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }

        /** Takes a token even into debt; the wait until the debt is repaid. */
        long reserve(long now) {
            refill(now);
            tokens--;
            return tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
        }

        private void refill(long now) {
            if (now > refilled) {
                tokens = Math.min(capacity, tokens + (now - refilled) * rate / 1e9);
                refilled = now;
            }
        }
    }
}
