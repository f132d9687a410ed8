package pyto.concurrent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handle on one task forked in a {@link Scope}: its result once it ends, and a way to cancel
 * it alone (a peer that misbehaves is dropped without touching the others).
 */
public final class Task<T> {

    volatile Thread thread;
    private volatile boolean cancelled;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable exception;

    Task() {
    }

    void complete(T result, Throwable exception) {
        this.result = result;
        this.exception = exception;
        done.countDown();
    }

    /**
     * Interrupts this task's thread; a task blocked on a socket finds the socket closed. What
     * the task throws as a result is not a failure of its scope: it was asked to stop.
     */
    public void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null && isRunning()) {
            t.interrupt();
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    public boolean isRunning() {
        return done.getCount() > 0;
    }

    /** Waits for the task to end and returns its result, or throws what it threw. */
    public T get() throws InterruptedException, ExecutionException {
        done.await();
        return outcome();
    }

    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("task " + thread.getName() + " still running after " + timeout);
        }
        return outcome();
    }

    private T outcome() throws ExecutionException {
        if (exception != null) {
            throw new ExecutionException(exception);
        }
        return result;
    }
}
