package pyto.cli;

import java.io.PrintStream;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A status line for long work. On a terminal it rewrites itself in place a few times a
 * second; in a pipe or a log file it prints a plain line every few seconds instead, so the
 * output stays readable. Thread-safe: hashing workers report from many threads.
 */
final class ProgressLine {

    private final PrintStream out;
    private final boolean live;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastPrint;
    private boolean printedLive;

    ProgressLine(PrintStream out, boolean live, long plainIntervalMillis) {
        this(out, live, plainIntervalMillis, System::nanoTime);
    }

    ProgressLine(PrintStream out, boolean live, long plainIntervalMillis, LongSupplier clock) {
        this.out = out;
        this.live = live;
        this.intervalNanos = (live ? 200 : plainIntervalMillis) * 1_000_000L;
        this.clock = clock;
        this.lastPrint = clock.getAsLong();
    }

    static ProgressLine forTerminal(PrintStream out) {
        return new ProgressLine(out, Terminal.isInteractive(), 5_000);
    }

    /** Shows {@code text} if enough time has passed since the last line; otherwise drops it. */
    void update(String text) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            if (now - lastPrint < intervalNanos) {
                return;
            }
            lastPrint = now;
            show(text);
        } finally {
            lock.unlock();
        }
    }

    /** Shows {@code text} now, whatever the time. */
    void show(String text) {
        lock.lock();
        try {
            if (live) {
                out.print("\r\033[K" + text);
                printedLive = true;
            } else {
                out.println(text);
            }
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the live line, so what is printed next starts on a line of its own. */
    void finish() {
        lock.lock();
        try {
            if (printedLive) {
                out.println();
                printedLive = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** "45.2%" with one decimal, never 100% before the end. */
    static String percent(long done, long total) {
        if (total <= 0) {
            return "100%";
        }
        double p = Math.floor(1000.0 * done / total) / 10;
        return (p >= 100 && done < total ? "99.9" : String.format(java.util.Locale.ROOT, "%.1f", p)) + "%";
    }
}
