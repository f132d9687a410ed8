package pyto.session;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a torrent is in its life ({@link Torrent.State}), why it failed if it did, and a way
 * to wait for a state. FAILED sticks: only a new run (a resume) leaves it. Any thread; a lock
 * of its own guards the state, and every change wakes the waiters.
 */
final class TorrentState {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Torrent.State state = Torrent.State.STOPPED; // guarded by lock
    private String error;                                // guarded by lock

    /** A new run starts in {@code state}: whatever failed before is forgotten. */
    void restart(Torrent.State s) {
        lock.lock();
        try {
            error = null;
            set(s);
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

    /** The torrent failed for {@code reason}; false if it had failed already (the first reason stays). */
    boolean fail(String reason) {
        lock.lock();
        try {
            if (state == Torrent.State.FAILED) {
                return false;
            }
            error = reason;
            set(Torrent.State.FAILED);
            return true;
        } finally {
            lock.unlock();
        }
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
