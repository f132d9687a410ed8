package pyto.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import pyto.session.Torrent;
import pyto.session.TorrentStatus;

/**
 * The session methods of the remote control (rpc-spec section 4): session-get, session-set,
 * session-stats and free-space. session-set changes the speed limits, the download directory
 * (under a download root), the default ratio goal and whether added torrents start; any other
 * setting is accepted only with the value pyto already has, and refused otherwise, before
 * anything is changed. The connection's thread.
 */
final class SessionMethods {

    static final int RPC_VERSION = 16;        // Transmission 3.00's
    static final int RPC_VERSION_MINIMUM = 14; // status numbers as pyto sends them came with 14

    private static final Set<String> SETTABLE = Set.of("speed-limit-down", "speed-limit-down-enabled",
            "speed-limit-up", "speed-limit-up-enabled", "download-dir", "seedRatioLimit", "seedRatioLimited",
            "start-added-torrents");
    /** Read-only values session-set must not be given (rpc-spec 4.1.1). */
    private static final Set<String> READ_ONLY = Set.of("blocklist-size", "config-dir", "download-dir-free-space",
            "rpc-version", "rpc-version-minimum", "version", "session-id", "units");

    private final Daemon daemon;

    SessionMethods(Daemon daemon) {
        this.daemon = daemon;
    }

    /** Every setting, or those "fields" names (RPC 16). */
    Json.Obj get(RpcArgs args) throws RpcException {
        Json.Obj all = settings();
        if (!(args.raw("fields").orElse(Json.NULL) instanceof Json.Arr fields)) {
            return all;
        }
        Json.ObjBuilder some = Json.object();
        for (Json f : fields.items()) {
            if (f instanceof Json.Str s && all.has(s.value())) {
                some.put(s.value(), all.get(s.value()).orElseThrow());
            }
        }
        return some.build();
    }

    private Json.Obj settings() {
        DaemonSettings s = daemon.settings();
        Json speedUnits = Json.array(List.of(Json.of("kB/s"), Json.of("MB/s"), Json.of("GB/s"), Json.of("TB/s")));
        Json sizeUnits = Json.array(List.of(Json.of("kB"), Json.of("MB"), Json.of("GB"), Json.of("TB")));
        Json memoryUnits = Json.array(List.of(Json.of("KiB"), Json.of("MiB"), Json.of("GiB"), Json.of("TiB")));
        return Json.object()
                .put("alt-speed-down", 50).put("alt-speed-enabled", false).put("alt-speed-time-begin", 540)
                .put("alt-speed-time-day", 127).put("alt-speed-time-enabled", false).put("alt-speed-time-end", 1020)
                .put("alt-speed-up", 50).put("blocklist-enabled", false).put("blocklist-size", 0).put("blocklist-url", "")
                .put("cache-size-mb", 0).put("config-dir", daemon.stateDir().toString())
                .put("dht-enabled", daemon.sessionConfig().dht().enabled()).put("download-dir", s.downloadDir().toString())
                .put("download-dir-free-space", freeBytes(s.downloadDir()))
                .put("download-queue-enabled", false).put("download-queue-size", 5)
                .put("encryption", "tolerated").put("idle-seeding-limit", 30).put("idle-seeding-limit-enabled", false)
                .put("incomplete-dir", s.downloadDir().toString()).put("incomplete-dir-enabled", false)
                .put("lpd-enabled", false).put("peer-limit-global", daemon.sessionConfig().maxPeers())
                .put("peer-limit-per-torrent", daemon.sessionConfig().maxPeersPerTorrent())
                .put("pex-enabled", true).put("peer-port", daemon.session().port())
                .put("peer-port-random-on-start", false).put("port-forwarding-enabled", false)
                .put("queue-stalled-enabled", false).put("queue-stalled-minutes", 30)
                .put("rename-partial-files", false).put("rpc-version", RPC_VERSION)
                .put("rpc-version-minimum", RPC_VERSION_MINIMUM)
                .put("script-torrent-done-enabled", false).put("script-torrent-done-filename", "")
                .put("seedRatioLimit", s.seedRatioLimit()).put("seedRatioLimited", s.seedRatioLimited())
                .put("seed-queue-enabled", false).put("seed-queue-size", 10).put("session-id", daemon.sessionId())
                .put("speed-limit-down", s.downKBps()).put("speed-limit-down-enabled", s.downLimited())
                .put("speed-limit-up", s.upKBps()).put("speed-limit-up-enabled", s.upLimited())
                .put("start-added-torrents", s.startAddedTorrents()).put("trash-original-torrent-files", false)
                .put("units", Json.object().put("speed-units", speedUnits).put("speed-bytes", 1000)
                        .put("size-units", sizeUnits).put("size-bytes", 1000)
                        .put("memory-units", memoryUnits).put("memory-bytes", 1024).build())
                .put("utp-enabled", false).put("version", "3.00 (pyto " + pyto.wire.PeerId.VERSION + ")")
                .build();
    }

    Json.Obj set(RpcArgs args) throws RpcException {
        Json.Obj now = settings();
        List<String> refused = new ArrayList<>();
        for (String name : args.names()) {
            boolean same = now.get(name).isPresent() && now.get(name).equals(args.raw(name)) && !READ_ONLY.contains(name);
            if (!SETTABLE.contains(name) && !same) {
                refused.add(name);
            }
        }
        if (!refused.isEmpty()) {
            throw new RpcException("pyto cannot change " + String.join(", ", refused.stream().sorted().toList())
                    + (refused.contains("peer-port") ? " (restart the daemon with -p N for another peer port)" : ""));
        }
        List<UnaryOperator<DaemonSettings>> changes = new ArrayList<>();
        Optional<Long> down = args.number("speed-limit-down", 0, Integer.MAX_VALUE);
        Optional<Boolean> downOn = args.bool("speed-limit-down-enabled");
        if (down.isPresent() || downOn.isPresent()) {
            changes.add(s -> s.withDown(down.orElse(s.downKBps()), downOn.orElse(s.downLimited())));
        }
        Optional<Long> up = args.number("speed-limit-up", 0, Integer.MAX_VALUE);
        Optional<Boolean> upOn = args.bool("speed-limit-up-enabled");
        if (up.isPresent() || upOn.isPresent()) {
            changes.add(s -> s.withUp(up.orElse(s.upKBps()), upOn.orElse(s.upLimited())));
        }
        Optional<String> dir = args.string("download-dir");
        if (dir.isPresent()) {
            Path resolved = daemon.roots().resolve(dir.get());
            changes.add(s -> s.withDownloadDir(resolved));
        }
        Optional<Double> ratio = args.decimal("seedRatioLimit", 0, 1e6);
        Optional<Boolean> ratioOn = args.bool("seedRatioLimited");
        if (ratio.isPresent() || ratioOn.isPresent()) {
            changes.add(s -> s.withRatio(ratio.orElse(s.seedRatioLimit()), ratioOn.orElse(s.seedRatioLimited())));
        }
        Optional<Boolean> start = args.bool("start-added-torrents");
        start.ifPresent(b -> changes.add(s -> s.withStartAdded(b)));
        try {
            daemon.updateSettings(s -> {
                for (UnaryOperator<DaemonSettings> c : changes) {
                    s = c.apply(s);
                }
                return s;
            });
        } catch (IOException e) {
            throw new RpcException("the settings changed, but could not be saved: " + e.getMessage());
        }
        return Json.object().build();
    }

    Json.Obj stats() {
        long down = 0, up = 0, uploaded = 0, downloaded = 0, uploadedEver = 0, downloadedEver = 0;
        int running = 0, paused = 0;
        List<TorrentRegistry.Entry> all = daemon.torrents().all();
        for (TorrentRegistry.Entry e : all) {
            TorrentStatus s = e.torrent().status();
            down += Math.round(s.downloadRate());
            up += Math.round(s.uploadRate());
            uploaded += s.uploaded();
            downloaded += s.downloaded();
            uploadedEver += e.record().uploadedBefore() + s.uploaded();
            downloadedEver += e.record().downloadedBefore() + s.downloaded();
            boolean stopped = s.state() == Torrent.State.PAUSED || s.state() == Torrent.State.STOPPED
                    || s.state() == Torrent.State.FAILED;
            running += stopped ? 0 : 1;
            paused += stopped ? 1 : 0;
        }
        long seconds = (System.currentTimeMillis() - daemon.startedMillis()) / 1000;
        return Json.object().put("activeTorrentCount", running).put("pausedTorrentCount", paused)
                .put("torrentCount", all.size()).put("downloadSpeed", down).put("uploadSpeed", up)
                .put("cumulative-stats", stats(uploadedEver, downloadedEver, all.size(), seconds))
                .put("current-stats", stats(uploaded, downloaded, all.size(), seconds)).build();
    }

    private static Json stats(long uploaded, long downloaded, int files, long seconds) {
        return Json.object().put("uploadedBytes", uploaded).put("downloadedBytes", downloaded).put("filesAdded", files)
                .put("sessionCount", 1).put("secondsActive", seconds).build();
    }

    /** The free space where {@code path} is: only under a download root. */
    Json.Obj freeSpace(RpcArgs args) throws RpcException {
        String path = args.string("path").orElseThrow(() -> new RpcException("free-space needs a \"path\""));
        Path resolved = daemon.roots().resolve(path);
        return Json.object().put("path", path).put("size-bytes", freeBytes(resolved)).build();
    }

    /** Usable bytes on the file system of {@code dir} (or of its deepest existing parent), -1 if unknown. */
    static long freeBytes(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

}
