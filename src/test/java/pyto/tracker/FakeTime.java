package pyto.tracker;

import java.time.Instant;
import java.util.concurrent.locks.Condition;

/**
 * Time for announcer tests that jumps: a wait moves the clock straight to its deadline, so a
 * day of announces plays out at once, and the log of calls says when each would have happened.
 */
final class FakeTime implements TimeSource {

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private volatile Instant now = T0;
    /** Runs at each wait, before the jump: where a test looks at what a waiting announcer shows. */
    volatile Runnable onWait = () -> { };

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public void awaitUntil(Condition condition, Instant deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        onWait.run();
        if (deadline.isAfter(now)) {
            now = deadline;
        }
    }

    /** Seconds since T0. */
    long seconds() {
        return now.getEpochSecond() - T0.getEpochSecond();
    }
}
