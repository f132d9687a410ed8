package pyto.daemon;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Wrong passwords, counted per address, so that guessing the remote control's password is
 * slow and then stops: after {@value #FREE_TRIES} wrong tries an address must wait before
 * the next (1 s, doubling each time, a minute at most), and after {@value #LOCKOUT_TRIES} it
 * is refused for {@link #LOCKOUT} whatever it sends. A right password clears its count. At
 * most {@value #MAX_ADDRESSES} addresses are remembered (the oldest forgotten first), and an
 * address quiet for the lockout time is forgotten.
 *
 * <p>Called from the connection threads; one lock guards the table.
 */
final class AuthFailures {

    static final int FREE_TRIES = 3;
    static final int LOCKOUT_TRIES = 10;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    static final int MAX_ADDRESSES = 4096;

    private record Record(int failures, long lastNanos) {
    }

    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Record> failures = new LinkedHashMap<>(); // guarded by lock; oldest first

    AuthFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** How long {@code address} must still wait before it may try a password; empty: it may now. */
    Optional<Duration> waitFor(InetAddress address) {
        lock.lock();
        try {
            Record r = failures.get(address);
            if (r == null) {
                return Optional.empty();
            }
            long since = nanoTime.getAsLong() - r.lastNanos();
            if (since >= LOCKOUT.toNanos()) {
                failures.remove(address);
                return Optional.empty();
            }
            long wait = penalty(r.failures()).toNanos() - since;
            return wait > 0 ? Optional.of(Duration.ofNanos(wait)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The wait after {@code n} wrong passwords in a row. */
    static Duration penalty(int n) {
        if (n >= LOCKOUT_TRIES) {
            return LOCKOUT;
        }
        if (n < FREE_TRIES) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.min(60, 1L << (n - FREE_TRIES)));
    }

    void failed(InetAddress address) {
        lock.lock();
        try {
            Record r = failures.remove(address); // and put back last: the table stays in order of last failure
            failures.put(address, new Record(r == null ? 1 : r.failures() + 1, nanoTime.getAsLong()));
            Iterator<InetAddress> oldest = failures.keySet().iterator();
            while (failures.size() > MAX_ADDRESSES) {
                oldest.next();
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    void succeeded(InetAddress address) {
        lock.lock();
        try {
            failures.remove(address);
        } finally {
            lock.unlock();
        }
    }
}
