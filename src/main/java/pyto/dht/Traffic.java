package pyto.dht;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of what the node sends and receives, and recent rates for {@link DhtStatus}. Counted by
 * the reader and sender threads; {@link #tick} runs on the maintenance thread.
 */
final class Traffic {

    final AtomicLong queriesIn = new AtomicLong();
    final AtomicLong queriesOut = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    private long lastIn;
    private long lastOut;
    private long lastTick = System.nanoTime();
    private volatile double inPerSecond;
    private volatile double outPerSecond;

    /** Updates the rates from the counts since the last tick. */
    void tick() {
        long now = System.nanoTime();
        double seconds = (now - lastTick) / 1e9;
        if (seconds <= 0) {
            return;
        }
        long in = queriesIn.get();
        long out = queriesOut.get();
        inPerSecond = (in - lastIn) / seconds;
        outPerSecond = (out - lastOut) / seconds;
        lastIn = in;
        lastOut = out;
        lastTick = now;
    }

    double inPerSecond() {
        return inPerSecond;
    }

    double outPerSecond() {
        return outPerSecond;
    }
}
