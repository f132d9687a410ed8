package pyto.peer;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Bytes per second over a rolling window (20 s by default, as the reference client's choker
 * uses), from one-second buckets. Also keeps the all-time total.
 *
 * <p>Written by the thread that moves the bytes, read by the choker and the progress display:
 * a short {@link ReentrantLock} guards the buckets.
 */
public final class RateMeter {

    /** The window of {@link #recentRate()}. */
    static final int RECENT_SECONDS = 5;

    private final ReentrantLock lock = new ReentrantLock();
    private final long[] buckets;
    private final LongSupplier clockMillis;
    private final long startMillis;
    private long currentSecond;
    private long total;

    public RateMeter() {
        this(20, System::currentTimeMillis);
    }

    /** @param clockMillis the time in milliseconds; tests pass a fake clock */
    public RateMeter(int windowSeconds, LongSupplier clockMillis) {
        this.buckets = new long[windowSeconds];
        this.clockMillis = clockMillis;
        this.startMillis = clockMillis.getAsLong();
        this.currentSecond = startMillis / 1000;
    }

    public void add(long bytes) {
        lock.lock();
        try {
            advance();
            buckets[(int) (currentSecond % buckets.length)] += bytes;
            total += bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes per second over the window, or over the time since this meter started when that
     * is shorter (so a new peer's rate is not diluted by seconds it did not exist).
     */
    public double rate() {
        lock.lock();
        try {
            advance();
            long sum = 0;
            for (long b : buckets) {
                sum += b;
            }
            double seconds = Math.min(buckets.length, Math.max(1.0, (clockMillis.getAsLong() - startMillis) / 1000.0));
            return sum / seconds;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes per second over the last {@value #RECENT_SECONDS} whole seconds, for people: after a
     * transfer stops, what a display shows falls to zero in that time, not in the choker's 20.
     * (The second under way is left out: its bucket is still filling.)
     */
    public double recentRate() {
        lock.lock();
        try {
            advance();
            long wholeSeconds = (clockMillis.getAsLong() - startMillis) / 1000;
            int seconds = (int) Math.min(Math.min(RECENT_SECONDS, buckets.length - 1), Math.max(1, wholeSeconds));
            long sum = 0;
            for (int s = 1; s <= seconds; s++) {
                sum += buckets[(int) ((currentSecond - s) % buckets.length)];
            }
            return (double) sum / seconds;
        } finally {
            lock.unlock();
        }
    }

    public long total() {
        lock.lock();
        try {
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Clears the buckets of the seconds that passed since the last call. */
    private void advance() {
        long now = clockMillis.getAsLong() / 1000;
        long steps = Math.min(now - currentSecond, buckets.length);
        for (long s = 1; s <= steps; s++) {
            buckets[(int) ((currentSecond + s) % buckets.length)] = 0;
        }
        if (now > currentSecond) {
            currentSecond = now;
        }
    }
}
