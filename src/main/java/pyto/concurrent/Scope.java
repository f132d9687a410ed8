package pyto.concurrent;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A structured lifetime for virtual threads: every thread forked in a scope ends before the
 * scope's {@link #close()} returns.
 *
 * <pre>{@code
 * try (Scope scope = new Scope("torrent")) {
 *     scope.fork("announce", announcer);
 *     scope.fork("peer 10.0.0.7", peer);
 *     scope.join();          // until every task is done, or the scope is cancelled
 * }                          // cancels whatever still runs and waits for it to end
 * }</pre>
 *
 * <p>It has the shape of the JDK's {@code StructuredTaskScope} (fork, join, close), which is a
 * preview API through JDK 25 and cannot be enabled from a jar, with the "shut down on failure"
 * policy: the first task that throws cancels its siblings, and {@link #failure()} reports it.
 * A task that ends normally, such as a peer that went away, disturbs nobody. Unlike the JDK's
 * scope, tasks may be forked from any thread, at any time until the scope is cancelled: a
 * torrent adds and drops peers all its life.
 *
 * <p>Cancelling interrupts the threads. A virtual thread blocked on a socket is woken by
 * the interrupt and its socket closed, so cancelling a peer's task is how a peer is torn down.
 */
public final class Scope implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Scope.class.getName());

    /** Threads started by all scopes that have not yet ended; tests check it returns to zero. */
    private static final AtomicInteger LIVE_THREADS = new AtomicInteger();

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Thread> running = new HashSet<>();
    private final Consumer<Throwable> onFailure;
    private boolean cancelled;
    private Throwable failure;

    public Scope(String name) {
        this(name, failure -> { });
    }

    /**
     * @param onFailure told of the first task that fails, on that task's thread, after the
     *     siblings were cancelled: the owner learns that the scope's work ended, and why,
     *     without a thread of its own waiting in {@link #join()}
     */
    public Scope(String name, Consumer<Throwable> onFailure) {
        this.name = name;
        this.onFailure = onFailure;
    }

    /** How many threads forked by any scope are still running. */
    public static int liveThreads() {
        return LIVE_THREADS.get();
    }

    public String name() {
        return name;
    }

    /**
     * Starts {@code body} on a new virtual thread named "scope/task".
     *
     * @throws IllegalStateException when the scope is already cancelled; the caller still owns
     *     whatever it meant to hand to the task (a socket, say) and must close it
     */
    public <T> Task<T> fork(String taskName, Callable<T> body) {
        Task<T> task = new Task<>();
        Thread thread = Thread.ofVirtual().name(name + "/" + taskName).unstarted(() -> run(task, body));
        task.thread = thread;
        lock.lock();
        try {
            if (cancelled) {
                throw new IllegalStateException("scope " + name + " is closed");
            }
            running.add(thread);
            LIVE_THREADS.incrementAndGet();
        } finally {
            lock.unlock();
        }
        thread.start();
        return task;
    }

    /** Starts {@code body} on a new virtual thread; see {@link #fork(String, Callable)}. */
    public Task<Void> fork(String taskName, ThrowingRunnable body) {
        return fork(taskName, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code action} every {@code period} until the scope is cancelled. An exception from
     * the action is logged and the next round still runs: a timer is not a reason to fail.
     */
    public Task<Void> forkPeriodic(String taskName, Duration period, ThrowingRunnable action) {
        return fork(taskName, () -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(period);
                try {
                    action.run();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, name + "/" + taskName + ": " + e, e);
                }
            }
            return null;
        });
    }

    /** Waits until every forked task has ended or the scope has been cancelled. */
    public void join() throws InterruptedException {
        lock.lock();
        try {
            while (!running.isEmpty() && !cancelled) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #join()}, but gives up after {@code timeout}; true when the scope went idle or was cancelled. */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!running.isEmpty() && !cancelled) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts every task and refuses new ones. Does not wait; {@link #close()} does. */
    public void cancel() {
        List<Thread> toInterrupt;
        lock.lock();
        try {
            cancelled = true;
            toInterrupt = List.copyOf(running);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        toInterrupt.forEach(Thread::interrupt);
    }

    public boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    /** The exception of the first task that failed, if any. */
    public Optional<Throwable> failure() {
        lock.lock();
        try {
            return Optional.ofNullable(failure);
        } finally {
            lock.unlock();
        }
    }

    /** How many of this scope's tasks are still running. */
    public int size() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels every task and waits for all of them to end. Interrupts do not cut the wait
     * short (a thread must never outlive its scope); they are kept for the caller.
     */
    @Override
    public void close() {
        cancel();
        boolean interrupted = false;
        lock.lock();
        try {
            while (!running.isEmpty()) {
                try {
                    if (!changed.await(5, TimeUnit.SECONDS)) {
                        LOG.log(System.Logger.Level.WARNING, "scope " + name + " still waits for " + running);
                        running.forEach(Thread::interrupt);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> void run(Task<T> task, Callable<T> body) {
        try {
            task.complete(body.call(), null);
        } catch (Throwable e) {
            task.complete(null, e);
            if (!task.isCancelled()) {
                onFailure(e);
            }
        } finally {
            lock.lock();
            try {
                running.remove(Thread.currentThread());
                LIVE_THREADS.decrementAndGet();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The first failure cancels the siblings; failures caused by cancelling are not failures. */
    private void onFailure(Throwable e) {
        boolean first;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            first = failure == null;
            if (first) {
                failure = e;
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            LOG.log(System.Logger.Level.DEBUG, "scope " + name + " failed, cancelling: " + e, e);
            cancel();
            onFailure.accept(e);
        }
    }

    /** A task body that may throw checked exceptions. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
