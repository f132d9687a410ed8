package pyto.concurrent;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A rate limit in bytes per second: a bucket that fills at the rate, up to a small burst,
 * and from which every transfer takes its size.
 *
 * <p>A transfer that finds too few tokens takes them anyway, leaving the bucket in debt, and
 * sleeps for as long as the debt takes to repay. Callers queue up in the order they came,
 * and the rate holds over any stretch of time however many threads share the bucket. The
 * rate can change at any moment; 0 means no limit. A lock guards the numbers only: nobody
 * sleeps holding it.
 */
public final class TokenBucket {

    /** Bursts of up to a tenth of a second's worth (but at least 32 KiB) pass without waiting. */
    private static final double BURST_SECONDS = 0.1;
    private static final long MIN_BURST = 32 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier nanoClock;
    private long rate;          // bytes per second, 0 for unlimited
    private double tokens;      // may be negative: debt
    private long lastRefill;

    public TokenBucket(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    /** @param nanoClock the time in nanoseconds; tests pass a fake one */
    public TokenBucket(long bytesPerSecond, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lastRefill = nanoClock.getAsLong();
        setRate(bytesPerSecond);
        this.tokens = burst(); // a new bucket starts full
    }

    /** Changes the limit at once; 0 removes it. */
    public void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate cannot be negative: " + bytesPerSecond);
        }
        lock.lock();
        try {
            refill();
            rate = bytesPerSecond;
            tokens = Math.min(tokens, burst());
        } finally {
            lock.unlock();
        }
    }

    public long rate() {
        lock.lock();
        try {
            return rate;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} tokens and returns how long the caller must wait, in nanoseconds (0: go now). */
    public long reserve(long bytes) {
        lock.lock();
        try {
            if (rate == 0) {
                return 0;
            }
            refill();
            tokens -= bytes;
            return tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back tokens taken for a transfer that did not happen. */
    public void refund(long bytes) {
        lock.lock();
        try {
            refill();
            tokens = Math.min(burst(), tokens + bytes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long until every bucket given holds {@code bytes} tokens, in nanoseconds (0: now),
     * without taking any: for a caller that has other work to do meanwhile.
     */
    public static long delayFor(long bytes, TokenBucket... buckets) {
        long delay = 0;
        for (TokenBucket b : buckets) {
            delay = Math.max(delay, b.delay(bytes));
        }
        return delay;
    }

    private long delay(long bytes) {
        lock.lock();
        try {
            if (rate == 0) {
                return 0;
            }
            refill();
            double missing = Math.min(bytes, burst()) - tokens; // a block larger than the burst waits for a full bucket
            return missing <= 0 ? 0 : (long) Math.ceil(missing * 1e9 / rate);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code bytes} from every bucket given (say, the torrent's and the session's) and
     * sleeps as long as the slowest of them asks.
     */
    public static void take(long bytes, TokenBucket... buckets) throws InterruptedIOException {
        long wait = 0;
        for (TokenBucket b : buckets) {
            wait = Math.max(wait, b.reserve(bytes));
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while rate-limited");
            }
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        if (rate > 0) {
            tokens = Math.min(burst(), tokens + (now - lastRefill) * rate / 1e9);
        }
        lastRefill = now;
    }

    private double burst() {
        return Math.max(MIN_BURST, rate * BURST_SECONDS);
    }
}
