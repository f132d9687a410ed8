package pyto.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Every peer address a torrent has heard of (from trackers, from {@code --peer}, from
 * incoming connections), and when each may be dialled again.
 *
 * <p>A failed dial waits 30 s, then twice as long each time, up to an hour; after
 * {@value #MAX_FAILURES} failures in a row the address is forgotten. A connection that ended
 * waits 30 s before a redial, so a peer that hangs up at once is not hammered. Our own
 * address is never dialled again once seen. Shared by the announcer threads (which add) and
 * the dialler (which takes): a {@link ReentrantLock} guards it.
 */
final class PeerDirectory {

    static final int MAX_FAILURES = 6;
    static final long FIRST_RETRY_MILLIS = 30_000;
    static final long MAX_RETRY_MILLIS = 3_600_000;
    /** A bound on remembered addresses, so a tracker cannot make us hold millions. */
    static final int MAX_KNOWN = 2_000;

    private static final class Entry {
        int failures;
        long notBefore;
        boolean connected;
        boolean self;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetSocketAddress, Entry> known = new LinkedHashMap<>();
    private final LongSupplier clockMillis;

    PeerDirectory(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Addresses heard of; those already known keep their state. Returns how many were new. */
    int add(Collection<InetSocketAddress> addresses) {
        int added = 0;
        lock.lock();
        try {
            for (InetSocketAddress a : addresses) {
                if (known.size() >= MAX_KNOWN) {
                    break;
                }
                if (a.getPort() > 0 && known.putIfAbsent(a, new Entry()) == null) { // a name is looked up when dialled
                    added++;
                }
            }
        } finally {
            lock.unlock();
        }
        return added;
    }

    /**
     * Up to {@code max} addresses to dial now, each marked connected until {@link #failed}
     * or {@link #ended} is called for it.
     */
    List<InetSocketAddress> takeDialable(int max) {
        long now = clockMillis.getAsLong();
        List<InetSocketAddress> out = new ArrayList<>();
        lock.lock();
        try {
            for (Map.Entry<InetSocketAddress, Entry> e : known.entrySet()) {
                if (out.size() >= max) {
                    break;
                }
                Entry entry = e.getValue();
                if (!entry.connected && !entry.self && entry.notBefore <= now) {
                    entry.connected = true;
                    out.add(e.getKey());
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** A peer connected to us from this address: do not dial it while that lasts. */
    void connectedFrom(InetSocketAddress address) {
        lock.lock();
        try {
            Entry entry = known.get(address);
            if (entry != null) {
                entry.connected = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The dial failed: wait longer before the next try, or forget the address. */
    void failed(InetSocketAddress address) {
        lock.lock();
        try {
            Entry entry = known.get(address);
            if (entry == null) {
                return;
            }
            entry.connected = false;
            entry.failures++;
            if (entry.failures >= MAX_FAILURES) {
                known.remove(address);
            } else {
                long wait = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << (entry.failures - 1));
                entry.notBefore = clockMillis.getAsLong() + wait;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A connection to this address ended (or was refused after the handshake). */
    void ended(InetSocketAddress address) {
        lock.lock();
        try {
            Entry entry = known.get(address);
            if (entry != null) {
                entry.connected = false;
                entry.failures = 0;
                entry.notBefore = clockMillis.getAsLong() + FIRST_RETRY_MILLIS;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A peer known by name was looked up: from now on it is known by its address, in the same state. */
    void resolved(InetSocketAddress name, InetSocketAddress address) {
        lock.lock();
        try {
            Entry entry = known.remove(name);
            if (entry != null) {
                known.putIfAbsent(address, entry);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops an address for good (a banned peer); a tracker naming it again adds it afresh. */
    void forget(InetSocketAddress address) {
        lock.lock();
        try {
            known.remove(address);
        } finally {
            lock.unlock();
        }
    }

    /** The address turned out to be our own listening socket. */
    void markSelf(InetSocketAddress address) {
        lock.lock();
        try {
            known.computeIfAbsent(address, a -> new Entry()).self = true;
        } finally {
            lock.unlock();
        }
    }

    /** How many addresses we know, ourselves excluded. */
    int size() {
        lock.lock();
        try {
            return (int) known.values().stream().filter(e -> !e.self).count();
        } finally {
            lock.unlock();
        }
    }
}
