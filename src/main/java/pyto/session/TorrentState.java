package pyto.session;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import pyto.concurrent.Scope;

/**
 * Where a torrent is in its life ({@link Torrent.State}), why it failed if it did, a way to
 * wait for a state, and the current run: the {@link Scope} that every thread of the torrent
 * runs in, from a start (or resume) to a pause or stop. FAILED sticks until a new run; a
 * failure cancels the run. Any thread; a lock of its own guards it all, and every change
 * wakes the waiters.
 */
final class TorrentState {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Torrent.State state = Torrent.State.STOPPED; // guarded by lock
    private String error;                                // guarded by lock
    private Scope run;                                   // guarded by lock: the current run, or null

    /**
     * Starts a run in {@code initial} unless one is under way: whatever failed before is
     * forgotten, and {@code main} is forked in the run's new scope. False when a run was under way.
     *
     * @param onFailure told when a task of the run fails (its scope cancelled the rest)
     */
    boolean begin(String name, Torrent.State initial, Consumer<Throwable> onFailure, Consumer<Scope> main) {
        lock.lock();
        try {
            if (run != null) {
                return false;
            }
            run = new Scope(name, onFailure);
            error = null;
            set(initial);
            main.accept(run);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the current run away, for the caller to close (waiting for its threads, without the lock). */
    Scope end() {
        lock.lock();
        try {
            Scope ending = run;
            run = null;
            return ending;
        } finally {
            lock.unlock();
        }
    }

    /** The run under way, if any; none while the data is being checked when {@code notWhileChecking}. */
    Scope current(boolean notWhileChecking) {
        lock.lock();
        try {
            return notWhileChecking && state == Torrent.State.CHECKING ? null : run;
        } finally {
            lock.unlock();
        }
    }

    /** Moves to {@code s}, unless the torrent failed. */
    void moveTo(Torrent.State s) {
        lock.lock();
        try {
            if (state != Torrent.State.FAILED) {
                set(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The torrent failed for {@code reason}: the run is cancelled (not waited for: a later pause
     * or close does that). False if it had failed already (the first reason stays).
     */
    boolean fail(String reason) {
        Scope failing;
        lock.lock();
        try {
            if (state == Torrent.State.FAILED) {
                return false;
            }
            error = reason;
            set(Torrent.State.FAILED);
            failing = run;
        } finally {
            lock.unlock();
        }
        if (failing != null) {
            failing.cancel();
        }
        return true;
    }

    Torrent.State now() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    Optional<String> error() {
        lock.lock();
        try {
            return Optional.ofNullable(error);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the state is one of {@code states}, or {@code timeout} passes; the state then. */
    Torrent.State await(Set<Torrent.State> states, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!states.contains(state) && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return state;
        } finally {
            lock.unlock();
        }
    }

    private void set(Torrent.State s) {
        state = s;
        changed.signalAll();
    }
}
