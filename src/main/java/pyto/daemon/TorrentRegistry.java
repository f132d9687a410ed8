package pyto.daemon;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import pyto.metainfo.InfoHash;
import pyto.session.Torrent;

/**
 * The daemon's torrents by the ids the remote control knows them by: small integers handed
 * out in order and never reused while the daemon runs (Transmission's clients keep them
 * between calls), and info hashes. Also remembers which ids were removed lately, for
 * {@code torrent-get} with {@code ids: "recently-active"}.
 *
 * <p>Any thread; one lock guards the maps, held only to read or swap an {@link Entry}.
 */
final class TorrentRegistry {

    /** How long a removal is reported to "recently-active" callers. */
    static final long RECENT_MILLIS = 60_000;

    /**
     * One torrent: its id, the session's {@link Torrent} (a new one after a verify), what is saved of it,
     * and bookkeeping for the saves and "recently-active".
     *
     * @param metainfoSaved   its HASH.torrent is in the state directory
     * @param changed         something worth saving changed since the last save
     * @param lastActive      when it last moved data or changed state (millis since the epoch)
     * @param lastSeen        what {@link Torrents#tick} saw last time: state, verified bytes, bytes moved
     */
    record Entry(int id, Torrent torrent, TorrentRecord record, boolean metainfoSaved, boolean changed,
                 long lastActive, Seen lastSeen) {

        Entry with(TorrentRecord r) {
            return new Entry(id, torrent, r, metainfoSaved, true, lastActive, lastSeen);
        }

        Entry with(Torrent t) {
            return new Entry(id, t, record, metainfoSaved, true, lastActive, lastSeen);
        }

        Entry saved(boolean metainfo) {
            return new Entry(id, torrent, record, metainfo, false, lastActive, lastSeen);
        }

        Entry seen(Seen now, boolean active, long nowMillis) {
            return new Entry(id, torrent, record, metainfoSaved, changed || !now.equals(lastSeen),
                    active ? nowMillis : lastActive, now);
        }

        /** Seconds spent downloading and seeding, counted without calling that a change worth a save. */
        Entry counted(long downloading, long seeding) {
            return new Entry(id, torrent, record.plusSeconds(downloading, seeding), metainfoSaved, changed,
                    lastActive, lastSeen);
        }
    }

    /** What a look at a torrent found, to tell whether anything changed since the last look. */
    record Seen(Torrent.State state, long verified, long uploaded, long downloaded) {
        static final Seen NOTHING = new Seen(Torrent.State.STOPPED, -1, -1, -1);
    }

    private record Removal(int id, long atMillis) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Entry> byId = new LinkedHashMap<>();  // guarded by lock, in order of adding
    private final Map<InfoHash, Integer> byHash = new LinkedHashMap<>(); // guarded by lock
    private final Deque<Removal> removed = new ArrayDeque<>();       // guarded by lock, oldest first
    private int nextId = 1;                                           // guarded by lock

    /** Adds a torrent under a new id; empty if its info hash is there already. */
    Optional<Entry> register(Torrent torrent, TorrentRecord record, boolean metainfoSaved, long nowMillis) {
        lock.lock();
        try {
            if (byHash.containsKey(record.infoHash())) {
                return Optional.empty();
            }
            Entry e = new Entry(nextId++, torrent, record, metainfoSaved, false, nowMillis, Seen.NOTHING);
            byId.put(e.id(), e);
            byHash.put(record.infoHash(), e.id());
            return Optional.of(e);
        } finally {
            lock.unlock();
        }
    }

    Optional<Entry> byId(int id) {
        lock.lock();
        try {
            return Optional.ofNullable(byId.get(id));
        } finally {
            lock.unlock();
        }
    }

    Optional<Entry> byHash(InfoHash infoHash) {
        lock.lock();
        try {
            Integer id = byHash.get(infoHash);
            return id == null ? Optional.empty() : Optional.of(byId.get(id));
        } finally {
            lock.unlock();
        }
    }

    List<Entry> all() {
        lock.lock();
        try {
            return List.copyOf(byId.values());
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the entry of {@code id} with {@code change} of it; the new entry, or empty if it is gone. */
    Optional<Entry> update(int id, UnaryOperator<Entry> change) {
        lock.lock();
        try {
            Entry e = byId.get(id);
            if (e == null) {
                return Optional.empty();
            }
            Entry updated = change.apply(e);
            byId.put(id, updated);
            return Optional.of(updated);
        } finally {
            lock.unlock();
        }
    }

    Optional<Entry> remove(int id, long nowMillis) {
        lock.lock();
        try {
            Entry e = byId.remove(id);
            if (e != null) {
                byHash.remove(e.record().infoHash());
                removed.addLast(new Removal(id, nowMillis));
                forgetOldRemovals(nowMillis);
            }
            return Optional.ofNullable(e);
        } finally {
            lock.unlock();
        }
    }

    /** Ids removed in the last minute. */
    List<Integer> recentlyRemoved(long nowMillis) {
        lock.lock();
        try {
            forgetOldRemovals(nowMillis);
            List<Integer> ids = new ArrayList<>();
            removed.forEach(r -> ids.add(r.id()));
            return ids;
        } finally {
            lock.unlock();
        }
    }

    private void forgetOldRemovals(long nowMillis) {
        while (!removed.isEmpty() && nowMillis - removed.peekFirst().atMillis() > RECENT_MILLIS) {
            removed.removeFirst();
        }
    }
}
