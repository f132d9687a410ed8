package pyto.tracker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;

/**
 * Time as the {@link Announcer} sees it: the clock it reads and the wait between announces. The
 * real one waits on the announcer's condition for real; tests substitute one that jumps to the
 * deadline at once, so half an hour of announces plays out in a millisecond.
 */
interface TimeSource {

    Instant now();

    /**
     * Waits on {@code condition}, whose lock the caller holds, until {@code deadline}, a signal,
     * or a spurious wake-up; the caller re-checks what it waits for, as with any condition.
     */
    void awaitUntil(Condition condition, Instant deadline) throws InterruptedException;

    TimeSource SYSTEM = new TimeSource() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void awaitUntil(Condition condition, Instant deadline) throws InterruptedException {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isPositive()) {
                condition.awaitNanos(left.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1).toNanos() : left.toNanos());
            }
        }
    };
}
