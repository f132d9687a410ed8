package pyto.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoException;
import pyto.session.AddOptions;
import pyto.session.RateLimits;
import pyto.session.Session;
import pyto.session.Torrent;
import pyto.session.TorrentStatus;
import pyto.storage.ResumeData;
import pyto.tracker.TrackerStatus;

/**
 * The daemon's torrents: what the remote control does to them (add, start, stop, remove,
 * verify, limits), what a look every second notices (a magnet's metadata arrived, a download
 * completed, a ratio goal reached), and when their state is saved ({@link StateStore}): on add,
 * start, stop, completion and removal at once, every minute while anything changed, and at
 * shutdown. Each torrent lives in the one {@link Session}; this class keeps what the session
 * does not (ids, directories, dates, the user's pause) in a {@link TorrentRegistry}.
 *
 * <p>Called from the remote control's connection threads and the daemon's periodic tasks;
 * the registry and the store guard themselves, and no lock is held while the session works.
 */
final class Torrents {

    private static final System.Logger LOG = System.getLogger(Torrents.class.getName());

    /** What a torrent is added from. */
    sealed interface Source {
        InfoHash infoHash();

        record File(Metainfo metainfo) implements Source {
            public InfoHash infoHash() {
                return metainfo.infoHash();
            }
        }

        record Magnet(MagnetLink link) implements Source {
            public InfoHash infoHash() {
                return link.infoHash();
            }
        }
    }

    /** A torrent added, or the one that was there already with the same info hash. */
    record Added(TorrentRegistry.Entry entry, boolean duplicate) {
    }

    private final Session session;
    private final StateStore store;
    private final Supplier<DaemonSettings> settings;
    private final TorrentRegistry registry = new TorrentRegistry();
    private final long startedSeconds = nowSeconds();
    // Per "HASH URL": the next announce time last seen, and when it last changed (an announce happened then).
    private final Map<String, Optional<Instant>> nextAnnounces = new ConcurrentHashMap<>();
    private final Map<String, Long> lastAnnounces = new ConcurrentHashMap<>();

    Torrents(Session session, StateStore store, Supplier<DaemonSettings> settings) {
        this.session = session;
        this.store = store;
        this.settings = settings;
    }

    TorrentRegistry registry() {
        return registry;
    }

    Session session() {
        return session;
    }

    Path torrentFile(InfoHash infoHash) {
        return store.torrentFile(infoHash);
    }

    // ---- what the remote control does -----------------------------------------------------

    Added add(Source source, Path dir, boolean paused) throws IOException {
        Optional<TorrentRegistry.Entry> existing = registry.byHash(source.infoHash());
        if (existing.isPresent()) {
            return new Added(existing.get(), true);
        }
        AddOptions options = AddOptions.DEFAULTS.withPaused(paused);
        Torrent torrent;
        String link;
        try {
            switch (source) {
                case Source.File(Metainfo metainfo) -> {
                    torrent = session.add(metainfo, dir, options);
                    link = MagnetLink.of(metainfo).uri();
                }
                case Source.Magnet(MagnetLink magnet) -> {
                    torrent = session.add(magnet, dir, options);
                    torrent.addPeers(magnet.peers()); // its x.pe, even when a saved .torrent stood in for the link
                    link = magnet.uri();
                }
            }
        } catch (IOException e) {
            Optional<TorrentRegistry.Entry> raced = registry.byHash(source.infoHash());
            if (raced.isPresent()) {
                return new Added(raced.get(), true);
            }
            throw e;
        }
        TorrentRecord record = TorrentRecord.added(source.infoHash(), link, dir, paused, nowSeconds());
        TorrentRegistry.Entry entry = registry.register(torrent, record, false, System.currentTimeMillis())
                .orElseThrow(() -> new IllegalStateException("added twice: " + source.infoHash()));
        LOG.log(System.Logger.Level.INFO, "{0}: added (id {1}), into {2}", torrent.name(), entry.id(), dir);
        save(entry.id());
        return new Added(entry, false);
    }

    /** A torrent saved by an earlier run: added as it was, trusting its resume data. */
    void load(StateStore.Saved saved) {
        TorrentRecord r = saved.record();
        AddOptions options = AddOptions.DEFAULTS.withPaused(r.paused());
        try {
            MagnetLink link = MagnetLink.parse(r.magnetLink());
            Torrent torrent;
            if (saved.metainfo().isPresent()) {
                if (saved.resumeData().isPresent()) {
                    options = options.withResumeData(saved.resumeData().get());
                }
                torrent = session.add(saved.metainfo().get(), r.downloadDir(), options);
                torrent.addPeers(link.peers());
            } else {
                torrent = session.add(link, r.downloadDir(), options);
                torrent.addPeers(link.peers());
            }
            torrent.setLimits(new RateLimits(r.limits().downBytesPerSecond(), r.limits().upBytesPerSecond()));
            registry.register(torrent, r, saved.metainfo().isPresent(), System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot be started again, skipped: {1}",
                    r.infoHash().hex(), e.getMessage());
        }
    }

    void start(TorrentRegistry.Entry e) {
        registry.update(e.id(), x -> x.with(x.record().withPaused(false)));
        session.resume(e.record().infoHash());
        save(e.id());
    }

    /** Tells its trackers {@code stopped}, closes its peers; saved, so that it stays stopped after a restart. */
    void stop(TorrentRegistry.Entry e) {
        registry.update(e.id(), x -> x.with(x.record().withPaused(true)));
        session.pause(e.record().infoHash());
        save(e.id());
    }

    /** Stops and forgets the torrent; with {@code deleteData}, its files go too ({@link LocalData}). */
    void remove(TorrentRegistry.Entry e, boolean deleteData) throws IOException {
        if (registry.remove(e.id(), System.currentTimeMillis()).isEmpty()) {
            return; // removed by someone else meanwhile
        }
        session.remove(e.record().infoHash());
        store.delete(e.record().infoHash());
        Optional<Metainfo> metainfo = e.torrent().metainfo();
        if (deleteData && metainfo.isPresent()) {
            int n = LocalData.delete(metainfo.get(), e.record().downloadDir());
            LOG.log(System.Logger.Level.INFO, "{0}: removed, {1} files deleted", e.torrent().name(), n);
        } else {
            LOG.log(System.Logger.Level.INFO, "{0}: removed", e.torrent().name());
        }
    }

    /**
     * Checks every piece on disk again (Transmission's verify): the torrent is stopped and added
     * anew without its resume data, so its first check hashes everything. It runs afterwards.
     * Its counters carry over. A magnet link still fetching its metadata has nothing to check.
     */
    void verify(TorrentRegistry.Entry e) throws IOException {
        Optional<Metainfo> metainfo = e.torrent().metainfo();
        if (metainfo.isEmpty()) {
            return;
        }
        TorrentStatus before = e.torrent().status();
        session.remove(e.record().infoHash());
        Torrent fresh = session.add(metainfo.get(), e.record().downloadDir());
        try {
            fresh.addPeers(MagnetLink.parse(e.record().magnetLink()).peers()); // the x.pe of the link it came by
        } catch (MetainfoException unreadable) {
            // saved by this daemon from a parsed link: it reads; and without it, trackers still give peers
        }
        fresh.setLimits(new RateLimits(e.record().limits().downBytesPerSecond(), e.record().limits().upBytesPerSecond()));
        registry.update(e.id(), x -> x.with(fresh).with(x.record().withPaused(false)
                .plusTransferred(before.uploaded(), before.downloaded())));
        save(e.id());
    }

    void setLimits(TorrentRegistry.Entry e, TorrentRecord.Limits limits) {
        registry.update(e.id(), x -> x.with(x.record().withLimits(limits)));
        e.torrent().setLimits(new RateLimits(limits.downBytesPerSecond(), limits.upBytesPerSecond()));
        save(e.id());
    }

    void setRatio(TorrentRegistry.Entry e, double limit, int mode) {
        registry.update(e.id(), x -> x.with(x.record().withRatio(limit, mode)));
        save(e.id());
    }

    // ---- what a look every second notices ---------------------------------------------------

    /**
     * On the daemon's periodic task, every second. A torrent whose look fails costs a log line,
     * not the task: the others, and the saves, go on.
     */
    void tick() {
        long now = System.currentTimeMillis();
        for (TorrentRegistry.Entry e : registry.all()) {
            try {
                look(e, now);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.ERROR, e.torrent().name() + ": " + ex, ex);
            }
        }
    }

    private void look(TorrentRegistry.Entry e, long now) {
        TorrentStatus s = e.torrent().status();
        noteAnnounces(s, now);
        TorrentRegistry.Seen seen = new TorrentRegistry.Seen(s.state(), s.completedBytes(), s.uploaded(), s.downloaded());
        boolean active = s.downloadRate() > 0 || s.uploadRate() > 0 || s.state() != e.lastSeen().state();
        int down = s.state() == Torrent.State.DOWNLOADING ? 1 : 0;
        int seed = s.state() == Torrent.State.SEEDING ? 1 : 0;
        TorrentRegistry.Entry x = registry.update(e.id(), y -> y.seen(seen, active, now)
                .counted(down, seed)).orElse(null);
        if (x == null) {
            return;
        }
        boolean saveNow = !x.metainfoSaved() && x.torrent().metainfo().isPresent(); // a magnet's metadata came
        if (s.state() == Torrent.State.SEEDING && x.record().doneDate() == 0) {
            registry.update(e.id(), y -> y.with(y.record().withDone(nowSeconds())));
            saveNow = true; // completed
        }
        if (s.state() == Torrent.State.SEEDING && ratioReached(x.record(), s)) {
            LOG.log(System.Logger.Level.INFO, "{0}: ratio goal reached, stopped", s.name());
            registry.update(e.id(), y -> y.with(y.record().withFinished()));
            session.pause(e.record().infoHash());
            saveNow = true;
        }
        if (saveNow) {
            save(e.id());
        }
    }

    /**
     * A tracker that has answered (or failed to) and whose next announce moved since the last
     * look has just been asked: that is when it last was, give or take the second between looks.
     */
    private void noteAnnounces(TorrentStatus s, long nowMillis) {
        for (TrackerStatus t : s.trackers()) {
            String key = s.infoHash().hex() + " " + t.url();
            Optional<Instant> before = nextAnnounces.put(key, t.nextAnnounce());
            boolean answered = t.state() == TrackerStatus.State.WORKING || t.state() == TrackerStatus.State.ERROR;
            if (answered && (before == null || !before.equals(t.nextAnnounce()))) {
                lastAnnounces.put(key, nowMillis / 1000);
            }
        }
    }

    /** When the tracker at {@code url} was last heard from for this torrent (seconds since the epoch), or 0. */
    long lastAnnounce(InfoHash infoHash, String url) {
        return lastAnnounces.getOrDefault(infoHash.hex() + " " + url, 0L);
    }

    long startedSeconds() {
        return startedSeconds;
    }

    /** Whether a seeding torrent has uploaded its goal: its ratio goal times what it downloaded (or its size). */
    boolean ratioReached(TorrentRecord r, TorrentStatus s) {
        double goal = switch (r.ratioMode()) {
            case TorrentRecord.RATIO_OWN -> r.ratioLimit();
            case TorrentRecord.RATIO_GLOBAL -> settings.get().seedRatioLimited() ? settings.get().seedRatioLimit() : -1;
            default -> -1;
        };
        if (goal < 0) {
            return false;
        }
        long downloaded = r.downloadedBefore() + s.downloaded();
        long baseline = downloaded > 0 ? downloaded : s.totalBytes();
        return r.uploadedBefore() + s.uploaded() >= goal * baseline;
    }

    // ---- saving -------------------------------------------------------------------------------

    /** Every minute: the torrents that changed since they were last saved. */
    void saveChanged() {
        registry.all().stream().filter(TorrentRegistry.Entry::changed).forEach(e -> save(e.id()));
    }

    /** At shutdown, once the session has stopped every torrent. */
    void saveAll() {
        registry.all().forEach(e -> save(e.id()));
    }

    /**
     * Writes a torrent's state now: its metainfo once known, then its record with this run's
     * bytes counted in and its resume data (taken under the store's write lock, so a newer
     * state is never overwritten by an older one). A failure is a log line; the torrent goes on.
     */
    void save(int id) {
        Optional<TorrentRegistry.Entry> entry = registry.byId(id);
        if (entry.isEmpty()) {
            return;
        }
        try {
            Optional<Metainfo> metainfo = entry.get().torrent().metainfo();
            if (metainfo.isPresent() && !entry.get().metainfoSaved()) {
                store.saveMetainfo(metainfo.get());
            }
            store.save(() -> registry.update(id, x -> x.saved(metainfo.isPresent() || x.metainfoSaved())).map(x -> {
                TorrentStatus s = x.torrent().status();
                TorrentRecord r = x.record().plusTransferred(s.uploaded(), s.downloaded());
                if (s.isComplete() && r.doneDate() == 0) {
                    r = r.withDone(nowSeconds()); // completed since the last look
                }
                return new StateStore.Saving(r, resumeData(x), x.id());
            }));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot save its state: {1}",
                    entry.get().torrent().name(), e.getMessage());
        }
    }

    private static Optional<ResumeData> resumeData(TorrentRegistry.Entry e) {
        try {
            return e.torrent().content().isEmpty() ? Optional.empty() : e.torrent().content().get().resumeData();
        } catch (IOException ex) {
            // unflushed pieces cannot be vouched for: without resume data the next start checks everything
            LOG.log(System.Logger.Level.WARNING, "{0}: no resume data saved: {1}", e.torrent().name(), ex.getMessage());
            return Optional.empty();
        }
    }

    List<TorrentRegistry.Entry> all() {
        return registry.all();
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
