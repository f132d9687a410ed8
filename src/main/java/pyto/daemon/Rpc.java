package pyto.daemon;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pyto.metainfo.InfoHash;

/**
 * Transmission's remote-control protocol (its {@code rpc-spec}, RPC version 16 as Transmission
 * 3.00 speaks it), for what pyto can do: a request is a JSON object with a {@code method}, its
 * {@code arguments} and an optional {@code tag}; the reply carries the same tag, a
 * {@code result} that is {@code "success"} or a message saying what went wrong, and the
 * method's {@code arguments}. The torrent methods are in {@link TorrentMethods} (and
 * {@link TorrentFields} for {@code torrent-get}), the session's in {@link SessionMethods}.
 *
 * <p>Torrents are named by {@code ids}: absent for all of them; a number; a list of numbers
 * and info hashes (40 hex digits); or {@code "recently-active"}. Ids that name no torrent are
 * passed over, as Transmission does.
 *
 * <p>Called on the HTTP connection threads, several at once.
 */
final class Rpc {

    private static final System.Logger LOG = System.getLogger(Rpc.class.getName());

    /** How long a torrent that moved data or changed state counts as "recently active". */
    static final long RECENT_MILLIS = 60_000;

    private final Daemon daemon;
    private final TorrentMethods torrentMethods;
    private final SessionMethods sessionMethods;

    Rpc(Daemon daemon) {
        this.daemon = daemon;
        this.torrentMethods = new TorrentMethods(daemon, this);
        this.sessionMethods = new SessionMethods(daemon);
    }

    /** The reply to one request body; never throws, whatever the body holds. */
    Json call(byte[] body) {
        Json request;
        try {
            request = JsonReader.read(body);
        } catch (JsonException e) {
            return reply(e.getMessage(), Json.object().build(), Optional.empty());
        }
        if (!(request instanceof Json.Obj o) || !(o.get("method").orElse(Json.NULL) instanceof Json.Str method)) {
            return reply("a request is a JSON object with a \"method\"", Json.object().build(), Optional.empty());
        }
        Optional<Json> tag = o.get("tag");
        Json arguments = o.get("arguments").orElse(Json.object().build());
        if (!(arguments instanceof Json.Obj args)) {
            return reply("\"arguments\" must be an object", Json.object().build(), tag);
        }
        try {
            return reply("success", dispatch(method.value(), new RpcArgs(args)), tag);
        } catch (RpcException e) {
            return reply(e.getMessage(), Json.object().build(), tag);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, method.value() + " failed: " + e, e);
            return reply("internal error in " + method.value() + ": " + e.getClass().getSimpleName(),
                    Json.object().build(), tag);
        }
    }

    private Json.Obj dispatch(String method, RpcArgs args) throws RpcException {
        return switch (method) {
            case "torrent-get" -> torrentMethods.get(args);
            case "torrent-add" -> torrentMethods.add(args);
            case "torrent-start", "torrent-start-now" -> torrentMethods.start(args);
            case "torrent-stop" -> torrentMethods.stop(args);
            case "torrent-verify" -> torrentMethods.verify(args);
            case "torrent-reannounce" -> torrentMethods.reannounce(args);
            case "torrent-remove" -> torrentMethods.remove(args);
            case "torrent-set" -> torrentMethods.set(args);
            case "session-get" -> sessionMethods.get(args);
            case "session-set" -> sessionMethods.set(args);
            case "session-stats" -> sessionMethods.stats();
            case "free-space" -> sessionMethods.freeSpace(args);
            case "session-close" -> {
                LOG.log(System.Logger.Level.INFO, "a remote control asked the daemon to stop");
                daemon.requestClose();
                yield Json.object().build();
            }
            case "torrent-set-location", "torrent-rename-path", "queue-move-top", "queue-move-up", "queue-move-down",
                 "queue-move-bottom", "blocklist-update", "port-test", "group-get", "group-set" ->
                    throw new RpcException("pyto does not support " + method + " yet");
            default -> throw new RpcException("unknown method: " + method);
        };
    }

    private static Json reply(String result, Json.Obj arguments, Optional<Json> tag) {
        Json.ObjBuilder reply = Json.object().put("arguments", arguments).put("result", result);
        tag.ifPresent(t -> reply.put("tag", t));
        return reply.build();
    }

    /** The torrents {@code args} names with its {@code ids}. */
    List<TorrentRegistry.Entry> select(RpcArgs args) throws RpcException {
        TorrentRegistry registry = daemon.torrents().registry();
        Optional<Json> ids = args.raw("ids");
        if (ids.isEmpty()) {
            return registry.all();
        }
        if (ids.get() instanceof Json.Str s && s.value().equals("recently-active")) {
            long now = System.currentTimeMillis();
            return registry.all().stream().filter(e -> now - e.lastActive() <= RECENT_MILLIS).toList();
        }
        List<Json> items = ids.get() instanceof Json.Arr a ? a.items() : List.of(ids.get());
        Set<TorrentRegistry.Entry> selected = new LinkedHashSet<>();
        for (Json item : items) {
            switch (item) {
                case Json.Num n -> registry.byId((int) RpcArgs.wholeNumber(n, "an id", 0, Integer.MAX_VALUE))
                        .ifPresent(selected::add);
                case Json.Str s -> {
                    if (!s.value().matches("[0-9a-fA-F]{40}")) {
                        throw new RpcException("an id must be a number or an info hash of 40 hex digits: " + s.value());
                    }
                    registry.byHash(InfoHash.fromHex(s.value())).ifPresent(selected::add);
                }
                case Json.Obj o -> throw badIds();
                case Json.Arr a -> throw badIds();
                case Json.Bool b -> throw badIds();
                case Json.Null n -> throw badIds();
            }
        }
        return new ArrayList<>(selected);
    }

    private static RpcException badIds() {
        return new RpcException("\"ids\" must be a number, a list of numbers and hashes, or \"recently-active\"");
    }

    /** Ids removed lately, for "recently-active" callers. */
    List<Integer> recentlyRemoved() {
        return daemon.torrents().registry().recentlyRemoved(System.currentTimeMillis());
    }
}
