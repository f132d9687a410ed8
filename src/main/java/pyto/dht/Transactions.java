package pyto.dht;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import pyto.bencode.BString;

/**
 * Our queries that await an answer (BEP 5's transactions), by transaction id.
 *
 * <p>An answer is matched by its transaction id and by the address it came from: the one the
 * query went to. Anything else (an unknown id, a known id from another address, a second
 * answer) matches nothing and is dropped, so a stranger cannot slip answers into our lookups
 * by guessing two bytes. At most {@code max} queries are outstanding; each has a deadline, after
 * which {@link #expire()} hands it back as timed out. Ids are two random bytes, as libtorrent's.
 *
 * <p>Opened by any thread that queries, closed by the reader thread on an answer and by the
 * node's timeout task on expiry; a lock guards the map, and no callback runs under it.
 */
final class Transactions {

    /** How a query ended. */
    sealed interface Outcome permits Answered, Failed, TimedOut {
    }

    record Answered(KrpcMessage.Response response) implements Outcome {
    }

    record Failed(KrpcMessage.Error error) implements Outcome {
    }

    record TimedOut() implements Outcome {
    }

    /** One outstanding query: where it went, until when we wait, and who waits. */
    record Pending(BString tid, InetSocketAddress to, Instant deadline, Consumer<Outcome> onOutcome) {
    }

    private final InstantSource clock;
    private final int max;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<BString, Pending> pending = new HashMap<>();

    Transactions(InstantSource clock, int max) {
        this.clock = clock;
        this.max = Math.min(max, 1 << 15); // ids are 16 bits: keep half of them free
    }

    /** Opens a transaction; empty when {@code max} are already outstanding. */
    Optional<BString> open(InetSocketAddress to, Duration timeout, Consumer<Outcome> onOutcome) {
        Instant deadline = clock.instant().plus(timeout);
        lock.lock();
        try {
            if (pending.size() >= max) {
                return Optional.empty();
            }
            BString tid;
            do {
                tid = new BString(new byte[] {(byte) random.nextInt(), (byte) random.nextInt()});
            } while (pending.containsKey(tid));
            pending.put(tid, new Pending(tid, to, deadline, onOutcome));
            return Optional.of(tid);
        } finally {
            lock.unlock();
        }
    }

    /** The transaction an answer from {@code from} closes, removed; empty when it matches none. */
    Optional<Pending> close(BString tid, InetSocketAddress from) {
        lock.lock();
        try {
            Pending p = pending.get(tid);
            if (p == null || !p.to().equals(from)) {
                return Optional.empty();
            }
            pending.remove(tid);
            return Optional.of(p);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a transaction whose query could not be sent. */
    void cancel(BString tid) {
        lock.lock();
        try {
            pending.remove(tid);
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the transactions whose deadline has passed. */
    List<Pending> expire() {
        Instant now = clock.instant();
        List<Pending> expired = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<Pending> i = pending.values().iterator(); i.hasNext(); ) {
                Pending p = i.next();
                if (!now.isBefore(p.deadline())) {
                    expired.add(p);
                    i.remove();
                }
            }
        } finally {
            lock.unlock();
        }
        return expired;
    }

    int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }
}
