package pyto.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import pyto.daemon.Daemon;
import pyto.daemon.DaemonConfig;
import pyto.daemon.RpcPassword;
import pyto.dht.StateDirectory;
import pyto.session.DhtSettings;
import pyto.session.Session;

/**
 * {@code pyto daemon}: runs the daemon in the foreground (for systemd and containers), its
 * log on stderr, until SIGTERM or Ctrl-C (or a remote control's {@code session-close}); then
 * it tells the trackers {@code stopped} and saves every torrent's state before it exits.
 */
final class DaemonCommand implements Main.Command {

    /** Transmission's default peer port, so that a daemon and a {@code pyto download} on 6881 can run side by side. */
    static final int DEFAULT_PEER_PORT = 51413;

    private final PrintStream err;

    DaemonCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public String name() {
        return "daemon";
    }

    @Override
    public String usage() {
        return "pyto daemon [--state DIR] [-d DIR] [-p N] [--rpc-port N] [--rpc-bind ADDR] [--rpc-host NAME ...]\n"
                + "            [--rpc-password P] [--download-root DIR ...] [--max-down RATE] [--max-up RATE]\n"
                + "            [--no-dht] [--dht-bootstrap HOST:PORT ...]\n"
                + "                                   run in the foreground, keep torrents across restarts, and take\n"
                + "                                   orders over Transmission's RPC (default http://127.0.0.1:9091)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("--state", "-d|--dir", "-p|--port", "--rpc-port", "--rpc-bind",
                "--rpc-host", "--rpc-password", "--download-root", "--max-down", "--max-up", "--dht-bootstrap"),
                Args.names("--no-dht"));
        if (!args.operands().isEmpty()) {
            throw new UsageException("pyto daemon takes no operands (add torrents with pyto remote add): " + args.operands());
        }
        Path state = args.value("--state").map(Path::of).orElse(StateDirectory.standard()).toAbsolutePath();
        DaemonConfig config = DaemonConfig.defaults(state)
                .withSession(Session.Config.defaults().withPort(args.intValue("--port", DEFAULT_PEER_PORT, 0, 65535))
                        .withDht(dhtSettings(args, state)))
                .withRpc(new InetSocketAddress(bindAddress(args), args.intValue("--rpc-port",
                        DaemonConfig.DEFAULT_RPC_PORT, 0, 65535)), new HashSet<>(args.values("--rpc-host")))
                .withDownloadRoots(args.values("--download-root").stream().map(p -> Path.of(p).toAbsolutePath()).toList())
                .withLimits(limit(args, "--max-down"), limit(args, "--max-up"));
        if (args.value("--dir").isPresent()) {
            config = config.withDownloadDir(Path.of(args.value("--dir").get()).toAbsolutePath());
        }
        if (args.value("--rpc-password").isPresent()) {
            config = config.withRpcPassword(args.value("--rpc-password").get());
        }
        Logging.showInfo();
        Daemon daemon = Daemon.start(config);
        if (args.value("--rpc-password").isEmpty()) {
            err.println("pyto: remote control user " + RpcPassword.USER + ", password in " + RpcPassword.file(state));
        }
        AtomicBoolean closed = new AtomicBoolean();
        Thread hook = new Thread(() -> close(daemon, closed, "interrupted"), "pyto-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!daemon.awaitCloseRequest(Duration.ofHours(1))) {
            // runs until SIGTERM or Ctrl-C (the hook closes it) or a session-close
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already
        }
        close(daemon, closed, "asked to stop");
        return Main.OK;
    }

    /** Once, whoever comes first: the shutdown hook or the main thread after a session-close. */
    private void close(Daemon daemon, AtomicBoolean closed, String why) {
        if (closed.compareAndSet(false, true)) {
            // printed, not logged: the JDK's logging shuts itself down in a hook of its own
            err.println("pyto: " + why + "; telling the trackers and saving the state...");
            err.flush();
            daemon.close();
            err.println("pyto: stopped");
            err.flush();
        }
    }

    /** The DHT (BEP 5), as pyto download has it, its id and good nodes kept in the daemon's state directory. */
    private static DhtSettings dhtSettings(Args args, Path state) throws UsageException {
        if (args.flag("--no-dht")) {
            return DhtSettings.OFF;
        }
        DhtSettings dht = DhtSettings.defaults().withStateDirectory(Optional.of(state));
        if (!args.values("--dht-bootstrap").isEmpty()) {
            List<InetSocketAddress> nodes = new ArrayList<>();
            for (String node : args.values("--dht-bootstrap")) {
                nodes.add(PeerAddresses.parse("--dht-bootstrap", node, false));
            }
            dht = dht.withBootstrap(nodes);
        }
        return dht;
    }

    private static InetAddress bindAddress(Args args) throws UsageException {
        String bind = args.value("--rpc-bind").orElse("127.0.0.1");
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new UsageException("--rpc-bind: unknown address " + bind);
        }
    }

    private static OptionalLong limit(Args args, String option) throws UsageException {
        return args.value(option).isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(Args.parseSize(option, args.value(option).get()));
    }
}
