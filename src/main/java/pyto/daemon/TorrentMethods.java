package pyto.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.MetainfoException;
import pyto.metainfo.MetainfoParser;

/**
 * The torrent methods of the remote control (rpc-spec sections 3.1 to 3.5): get, add, start,
 * stop, verify, reannounce, remove, set. What pyto cannot do yet (choosing files, priorities,
 * moving data, labels) is refused with a result that says so, never a silent success. The
 * connection's thread; the daemon's parts guard themselves.
 */
final class TorrentMethods {

    /** The largest .torrent read from a path given over the remote control (base64 ones are bounded by the body). */
    static final long MAX_TORRENT_FILE_BYTES = 16 << 20;

    /** torrent-set arguments pyto does something with. */
    private static final Set<String> SETTABLE = Set.of("ids", "downloadLimit", "downloadLimited", "uploadLimit",
            "uploadLimited", "seedRatioLimit", "seedRatioMode", "honorsSessionLimits", "files-wanted", "files-unwanted",
            "priority-high", "priority-low", "priority-normal", "bandwidthPriority", "peer-limit");

    private final Daemon daemon;
    private final Rpc rpc;

    TorrentMethods(Daemon daemon, Rpc rpc) {
        this.daemon = daemon;
        this.rpc = rpc;
    }

    Json.Obj get(RpcArgs args) throws RpcException {
        if (!(args.raw("fields").orElse(Json.NULL) instanceof Json.Arr fields)) {
            throw new RpcException("torrent-get needs \"fields\", an array of names");
        }
        List<String> names = new ArrayList<>();
        for (Json f : fields.items()) {
            if (!(f instanceof Json.Str s)) {
                throw new RpcException("\"fields\" must hold strings");
            }
            names.add(s.value());
        }
        int maxPeers = daemon.sessionConfig().maxPeersPerTorrent();
        List<Json> torrents = new ArrayList<>();
        for (TorrentRegistry.Entry e : rpc.select(args)) {
            TorrentFields.View view = TorrentFields.View.of(e, daemon.torrents(), maxPeers);
            Json.ObjBuilder t = Json.object();
            for (String name : names) {
                TorrentFields.field(name, view).ifPresent(v -> t.put(name, v));
            }
            torrents.add(t.build());
        }
        Json.ObjBuilder reply = Json.object().put("torrents", Json.array(torrents));
        if (args.raw("ids").orElse(Json.NULL) instanceof Json.Str s && s.value().equals("recently-active")) {
            reply.put("removed", Json.array(rpc.recentlyRemoved().stream().map(id -> Json.of((long) id)).toList()));
        }
        return reply.build();
    }

    /** By "filename" (a path on the daemon's machine, or a magnet link) or "metainfo" (a .torrent in base64). */
    Json.Obj add(RpcArgs args) throws RpcException {
        refuseFileChoices(args, "torrent-add");
        Torrents.Source source = source(args);
        Path dir = args.string("download-dir").isPresent()
                ? daemon.roots().resolve(args.string("download-dir").get()) : daemon.settings().downloadDir();
        boolean paused = args.bool("paused").orElse(!daemon.settings().startAddedTorrents());
        Torrents.Added added;
        try {
            added = daemon.torrents().add(source, dir, paused);
        } catch (IOException e) {
            throw new RpcException("cannot add the torrent: " + e.getMessage());
        }
        TorrentRegistry.Entry e = added.entry();
        return Json.object().put(added.duplicate() ? "torrent-duplicate" : "torrent-added",
                Json.object().put("hashString", e.record().infoHash().hex()).put("id", e.id())
                        .put("name", e.torrent().name()).build()).build();
    }

    private Torrents.Source source(RpcArgs args) throws RpcException {
        Optional<String> filename = args.string("filename");
        Optional<String> metainfo = args.string("metainfo");
        try {
            if (metainfo.isPresent()) {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(metainfo.get().replaceAll("[\\r\\n ]", ""));
                } catch (IllegalArgumentException e) {
                    throw new RpcException("invalid or corrupt torrent file: \"metainfo\" is not base64");
                }
                return new Torrents.Source.File(MetainfoParser.parse(bytes));
            }
            if (filename.isEmpty()) {
                throw new RpcException("torrent-add needs \"filename\" or \"metainfo\"");
            }
            String name = filename.get();
            if (name.regionMatches(true, 0, "magnet:", 0, 7)) {
                return new Torrents.Source.Magnet(MagnetLink.parse(name));
            }
            if (name.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
                throw new RpcException("pyto does not fetch .torrent files from URLs: send the file's contents as \"metainfo\"");
            }
            return new Torrents.Source.File(MetainfoParser.parse(readTorrentFile(name)));
        } catch (MetainfoException e) {
            throw new RpcException("invalid or corrupt torrent file: " + e.getMessage());
        }
    }

    private static byte[] readTorrentFile(String name) throws RpcException {
        try {
            Path p = Path.of(name);
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_TORRENT_FILE_BYTES) {
                throw new RpcException("invalid or corrupt torrent file: no .torrent file " + name + " on the daemon's machine");
            }
            return Files.readAllBytes(p);
        } catch (IOException | InvalidPathException e) {
            throw new RpcException("invalid or corrupt torrent file: cannot read " + name);
        }
    }

    Json.Obj start(RpcArgs args) throws RpcException {
        rpc.select(args).forEach(daemon.torrents()::start);
        return Json.object().build();
    }

    Json.Obj stop(RpcArgs args) throws RpcException {
        rpc.select(args).forEach(daemon.torrents()::stop);
        return Json.object().build();
    }

    Json.Obj verify(RpcArgs args) throws RpcException {
        for (TorrentRegistry.Entry e : rpc.select(args)) {
            try {
                daemon.torrents().verify(e);
            } catch (IOException ex) {
                throw new RpcException("cannot verify " + e.torrent().name() + ": " + ex.getMessage());
            }
        }
        return Json.object().build();
    }

    Json.Obj reannounce(RpcArgs args) throws RpcException {
        rpc.select(args).forEach(e -> e.torrent().reannounce());
        return Json.object().build();
    }

    Json.Obj remove(RpcArgs args) throws RpcException {
        boolean deleteData = args.bool("delete-local-data").orElse(false);
        for (TorrentRegistry.Entry e : rpc.select(args)) {
            try {
                daemon.torrents().remove(e, deleteData);
            } catch (IOException ex) {
                throw new RpcException("removed " + e.torrent().name() + ", but its data could not all be deleted: "
                        + ex.getMessage());
            }
        }
        return Json.object().build();
    }

    /** Per-torrent limits and ratio goal; every argument checked before any is applied. */
    Json.Obj set(RpcArgs args) throws RpcException {
        List<String> unsupported = args.names().stream().filter(n -> !SETTABLE.contains(n)).sorted().toList();
        if (!unsupported.isEmpty()) {
            throw new RpcException("pyto cannot set " + String.join(", ", unsupported) + " yet");
        }
        refuseFileChoices(args, "torrent-set");
        if (args.bool("honorsSessionLimits").orElse(true) == Boolean.FALSE
                || args.number("bandwidthPriority", -1, 1).orElse(0L) != 0) {
            throw new RpcException("pyto always honours the session's limits, with one priority for all");
        }
        args.number("peer-limit", 0, 100_000); // checked, then left: the session's limit applies
        Optional<Long> down = args.number("downloadLimit", 0, Integer.MAX_VALUE);
        Optional<Boolean> downLimited = args.bool("downloadLimited");
        Optional<Long> up = args.number("uploadLimit", 0, Integer.MAX_VALUE);
        Optional<Boolean> upLimited = args.bool("uploadLimited");
        Optional<Double> ratio = args.decimal("seedRatioLimit", 0, 1e6);
        Optional<Long> ratioMode = args.number("seedRatioMode", 0, 2);
        for (TorrentRegistry.Entry e : rpc.select(args)) {
            TorrentRecord.Limits l = e.record().limits();
            if (down.isPresent() || downLimited.isPresent() || up.isPresent() || upLimited.isPresent()) {
                daemon.torrents().setLimits(e, new TorrentRecord.Limits(down.orElse(l.downKBps()),
                        downLimited.orElse(l.downLimited()), up.orElse(l.upKBps()), upLimited.orElse(l.upLimited())));
            }
            if (ratio.isPresent() || ratioMode.isPresent()) {
                daemon.torrents().setRatio(e, ratio.orElse(e.record().ratioLimit()),
                        ratioMode.map(Long::intValue).orElse(e.record().ratioMode()));
            }
        }
        return Json.object().build();
    }

    /**
     * pyto downloads every file of a torrent, all at one priority: asking for that
     * ({@code files-wanted}, {@code priority-normal}, whatever the list) asks for what is so
     * already, but a request to leave files out ({@code files-unwanted}, where even an empty
     * list means "all files") or to raise or lower some is refused.
     */
    private static void refuseFileChoices(RpcArgs args, String method) throws RpcException {
        args.numbers("files-wanted");
        args.numbers("priority-normal");
        for (String name : List.of("files-unwanted", "priority-high", "priority-low")) {
            if (args.numbers(name).isPresent()) {
                throw new RpcException("pyto downloads every file of a torrent at one priority: it cannot leave files "
                        + "out or set priorities yet (" + method + " " + name + ")");
            }
        }
    }
}
