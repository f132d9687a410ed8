package pyto.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import pyto.daemon.Json;
import pyto.daemon.RpcClient;
import pyto.daemon.RpcException;
import pyto.daemon.RpcPassword;
import pyto.dht.StateDirectory;
import pyto.metainfo.MetainfoParser;

/**
 * {@code pyto remote}: drives a running daemon over Transmission's remote-control protocol,
 * a pyto daemon or a Transmission one alike ({@link RpcClient}). By default it talks to the
 * local daemon (http://127.0.0.1:9091/transmission/rpc) with the password that daemon keeps in
 * its state directory. What it prints looks like the rest of pyto's output ({@link RemoteViews}).
 * Runs on the main thread; a call that fails prints one line and exits 1.
 */
final class RemoteCommand implements Main.Command {

    static final String DEFAULT_URL = "http://127.0.0.1:9091/transmission/rpc";

    private final PrintStream out;

    RemoteCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public String usage() {
        return "pyto remote [--rpc URL] [--auth USER:PASSWORD] [--state DIR] COMMAND\n"
                + "      add FILE.torrent|MAGNET [-d DIR] [--paused] | list | info ID | files ID | start ID|all\n"
                + "      | stop ID|all | remove ID [--delete] | limits [--down RATE] [--up RATE] [ID]\n"
                + "                                   drive a running daemon (pyto's or Transmission's); ID is a\n"
                + "                                   number from list, or an info hash";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("--rpc", "--auth", "--state", "-d|--dir", "--down", "--up"),
                Args.names("--paused", "--delete"));
        if (args.operands().isEmpty()) {
            throw new UsageException("missing command (usage: " + usage().lines().findFirst().orElse("") + ")");
        }
        String command = args.operands().getFirst();
        List<String> rest = args.operands().subList(1, args.operands().size());
        checkOptions(args, command);
        RpcClient client = client(args);
        RemoteViews views = new RemoteViews(out);
        try {
            switch (command) {
                case "add" -> add(client, args, one(rest, "a .torrent file or a magnet link"));
                case "list" -> {
                    none(rest);
                    views.list(client.call("torrent-get", fields(RemoteViews.LIST_FIELDS)));
                }
                case "info" -> views.info(get(client, RemoteViews.INFO_FIELDS, one(rest, "an ID")));
                case "files" -> views.files(get(client, RemoteViews.FILES_FIELDS, one(rest, "an ID")));
                case "start", "stop" -> {
                    String which = one(rest, "an ID, or all");
                    client.call("torrent-" + command, which.equals("all") ? Json.object().build()
                            : Json.object().put("ids", id(which)).build());
                    out.println((command.equals("start") ? "started " : "stopped ") + which);
                }
                case "remove" -> {
                    String which = one(rest, "an ID");
                    client.call("torrent-remove", Json.object().put("ids", id(which))
                            .put("delete-local-data", args.flag("--delete")).build());
                    out.println("removed " + which + (args.flag("--delete") ? ", and its data deleted" : ""));
                }
                case "limits" -> limits(client, views, args, rest);
                default -> throw new UsageException("unknown remote command '" + command + "' (try pyto remote --help)");
            }
        } catch (RpcException e) {
            out.flush();
            System.err.println("pyto: " + client.uri() + ": " + e.getMessage());
            return Main.FAILURE;
        }
        return Main.OK;
    }

    /**
     * The daemon's URL, and its credentials: {@code --auth}, else the password file of the
     * local daemon's state directory (when the URL is on this machine and the file is there),
     * else none (a Transmission daemon without authentication).
     */
    private static RpcClient client(Args args) throws UsageException, IOException {
        URI uri;
        try {
            uri = URI.create(args.value("--rpc").orElse(DEFAULT_URL));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rpc needs a URL such as " + DEFAULT_URL);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new UsageException("--rpc needs an http:// URL such as " + DEFAULT_URL);
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            uri = uri.resolve("/transmission/rpc");
        }
        Optional<String> auth = args.value("--auth");
        if (auth.isPresent() && !auth.get().contains(":")) {
            throw new UsageException("--auth needs USER:PASSWORD");
        }
        if (auth.isEmpty()) {
            Path file = RpcPassword.file(args.value("--state").map(Path::of).orElse(StateDirectory.standard()));
            boolean local = List.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost());
            if (local && Files.isReadable(file)) {
                auth = Optional.of(RpcPassword.USER + ":" + RpcPassword.read(file));
            }
        }
        return new RpcClient(uri, auth, Duration.ofSeconds(60));
    }

    /** A .torrent is sent as its bytes (the daemon may be on another machine), a magnet link as it is. */
    private void add(RpcClient client, Args args, String what) throws Exception {
        Json.ObjBuilder request = Json.object();
        if (what.startsWith("magnet:")) {
            request.put("filename", what);
        } else {
            Path file = Path.of(what);
            MetainfoParser.read(file); // a bad file is reported here, as pyto reports it everywhere
            request.put("metainfo", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
        args.value("--dir").ifPresent(d -> request.put("download-dir", Path.of(d).toAbsolutePath().normalize().toString()));
        if (args.flag("--paused")) {
            request.put("paused", true);
        }
        Json.Obj reply = client.call("torrent-add", request.build());
        boolean duplicate = reply.has("torrent-duplicate");
        Json.Obj t = (Json.Obj) reply.get(duplicate ? "torrent-duplicate" : "torrent-added")
                .orElseThrow(() -> new IOException("the daemon did not say which torrent it added"));
        out.println((duplicate ? "already there: " : "added: ") + RemoteViews.text(t, "name") + " (id "
                + RemoteViews.number(t, "id") + ", " + RemoteViews.text(t, "hashString") + ")");
    }

    /** Shows the limits, or sets them: for the whole daemon, or for one torrent. */
    private void limits(RpcClient client, RemoteViews views, Args args, List<String> rest) throws Exception {
        Optional<Long> down = rate(args, "--down");
        Optional<Long> up = rate(args, "--up");
        if (rest.size() > 1) {
            throw new UsageException("limits takes at most one ID");
        }
        boolean torrent = rest.size() == 1;
        if (down.isEmpty() && up.isEmpty()) {
            views.limits(torrent ? get(client, RemoteViews.LIMIT_FIELDS, rest.getFirst())
                    : client.call("session-get", Json.object().build()), torrent);
            return;
        }
        Json.ObjBuilder request = Json.object();
        if (torrent) {
            request.put("ids", id(rest.getFirst()));
        }
        down.ifPresent(r -> request.put(torrent ? "downloadLimit" : "speed-limit-down", kB(r))
                .put(torrent ? "downloadLimited" : "speed-limit-down-enabled", r > 0));
        up.ifPresent(r -> request.put(torrent ? "uploadLimit" : "speed-limit-up", kB(r))
                .put(torrent ? "uploadLimited" : "speed-limit-up-enabled", r > 0));
        client.call(torrent ? "torrent-set" : "session-set", request.build());
        out.println("limits set" + (torrent ? " for " + rest.getFirst() : "") + ": down "
                + down.map(RemoteCommand::rateText).orElse("unchanged") + ", up "
                + up.map(RemoteCommand::rateText).orElse("unchanged"));
    }

    /** One torrent's fields; a torrent that is not there is an error, as for every other command. */
    private static Json.Obj get(RpcClient client, List<String> names, String which) throws Exception {
        Json.Obj reply = client.call("torrent-get", fields(names, id(which)));
        if (!(reply.get("torrents").orElse(Json.NULL) instanceof Json.Arr a) || a.items().isEmpty()) {
            throw new RpcException("no torrent " + which);
        }
        return reply;
    }

    /** Options that mean something only to some commands are refused elsewhere, rather than ignored. */
    private static void checkOptions(Args args, String command) throws UsageException {
        List<String> allowed = switch (command) {
            case "add" -> List.of("--dir", "--paused");
            case "remove" -> List.of("--delete");
            case "limits" -> List.of("--down", "--up");
            default -> List.of();
        };
        for (String option : List.of("--dir", "--paused", "--delete", "--down", "--up")) {
            if (!allowed.contains(option) && (args.flag(option) || args.value(option).isPresent())) {
                throw new UsageException(option + " does not go with " + command);
            }
        }
    }

    /**
     * Transmission counts limits in kB/s of 1000 bytes (and so do these lines, to show exactly
     * what the daemon holds); rounded up, so a limit never becomes none.
     */
    private static long kB(long bytesPerSecond) {
        return (bytesPerSecond + 999) / 1000;
    }

    private static String rateText(long bytesPerSecond) {
        return bytesPerSecond == 0 ? "unlimited" : kB(bytesPerSecond) + " kB/s";
    }

    private static Optional<Long> rate(Args args, String option) throws UsageException {
        return args.value(option).isEmpty() ? Optional.empty()
                : Optional.of(Args.parseSize(option, args.value(option).get()));
    }

    /** A torrent id: a number, or an info hash of 40 hex digits (sent as a list, as the protocol wants hashes). */
    static Json id(String text) throws UsageException {
        if (text.matches("[0-9]{1,9}")) {
            return Json.of(Long.parseLong(text));
        }
        if (text.matches("[0-9a-fA-F]{40}")) {
            return Json.array(List.of(Json.of(text.toLowerCase(Locale.ROOT))));
        }
        throw new UsageException("an ID is a number from pyto remote list, or an info hash: not '" + text + "'");
    }

    private static Json.Obj fields(List<String> names) {
        return Json.object().put("fields", Json.array(names.stream().map(Json::of).toList())).build();
    }

    private static Json.Obj fields(List<String> names, Json ids) {
        return Json.object().put("fields", Json.array(names.stream().map(Json::of).toList())).put("ids", ids).build();
    }

    private static String one(List<String> rest, String what) throws UsageException {
        if (rest.size() != 1) {
            throw new UsageException("expected " + what + (rest.isEmpty() ? "" : ", got " + rest));
        }
        return rest.getFirst();
    }

    private static void none(List<String> rest) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException("unexpected " + rest);
        }
    }
}
