package pyto.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import pyto.concurrent.Scope;
import pyto.dht.StateDirectory;
import pyto.session.RateLimits;
import pyto.session.Session;

/**
 * {@code pyto daemon}: a session that runs until it is stopped, keeps its torrents across
 * restarts ({@link StateStore}) and is driven over Transmission's remote-control protocol
 * ({@link Rpc}, behind {@link RequestGuard}) by {@code pyto remote}, {@code transmission-remote}
 * and the web page ({@link StaticFiles}).
 *
 * <pre>{@code
 * try (Daemon daemon = Daemon.start(DaemonConfig.defaults(StateDirectory.standard()))) {
 *     daemon.awaitCloseRequest();   // a "session-close" call; or Ctrl-C runs close()
 * }
 * }</pre>
 *
 * <p>Threads: the session's, the HTTP server's (one per connection), and two periodic tasks in
 * the daemon's own {@link Scope}: a look at every torrent each second ({@link Torrents#tick})
 * and a save of what changed each minute. {@link #close()} stops the remote control, then the
 * torrents (their trackers told {@code stopped}), then saves everything.
 */
public final class Daemon implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

    private final DaemonConfig config;
    private final Session session;
    private final Torrents torrents;
    private final DownloadRoots roots;
    private final AtomicReference<DaemonSettings> settings;
    private final Scope scope = new Scope("daemon");
    private final CountDownLatch closeRequested = new CountDownLatch(1);
    private final long startedMillis = System.currentTimeMillis();
    private final String sessionId = newSessionId(); // the CSRF token, for the daemon's life
    private HttpServer http; // set once started

    private Daemon(DaemonConfig config, Session session, Torrents torrents, DownloadRoots roots,
                   AtomicReference<DaemonSettings> settings) {
        this.config = config;
        this.session = session;
        this.torrents = torrents;
        this.roots = roots;
        this.settings = settings;
    }

    /** Reads the state, starts the session and every saved torrent, then the remote control. */
    public static Daemon start(DaemonConfig config) throws IOException {
        Path state = createPrivateDir(config.stateDir());
        String password = config.rpcPassword().isPresent() ? config.rpcPassword().get() : RpcPassword.loadOrCreate(state);
        Path flagDir = config.downloadDir().orElse(DaemonConfig.fallbackDownloadDir());
        DownloadRoots roots = new DownloadRoots(config.downloadRoots().isEmpty() ? List.of(flagDir) : config.downloadRoots());
        AtomicReference<DaemonSettings> settings = new AtomicReference<>(initialSettings(config, state, roots));
        Session session = Session.start(config.session());
        Daemon daemon = null;
        try {
            StateStore store = new StateStore(state);
            store.removeLeftovers();
            Torrents torrents = new Torrents(session, store, settings::get);
            daemon = new Daemon(config, session, torrents, roots, settings);
            daemon.applyLimits();
            List<StateStore.Saved> saved = store.loadAll();
            saved.forEach(torrents::load);
            daemon.scope.forkPeriodic("tick", Duration.ofSeconds(1), torrents::tick);
            daemon.scope.forkPeriodic("save", config.saveInterval(), torrents::saveChanged);
            RequestGuard guard = new RequestGuard(RpcPassword.USER, password, config.rpcHosts(), daemon.sessionId,
                    System::nanoTime);
            daemon.http = HttpServer.start(config.rpc(), config.http(),
                    new RpcHandler(guard, new Rpc(daemon), new StaticFiles()));
            LOG.log(System.Logger.Level.INFO, "remote control on http://{0}{1}, peers on port {2}, {3} torrents, state in {4}",
                    hostPort(daemon.http.address()), RequestGuard.RPC_PATH, Integer.toString(session.port()),
                    torrents.all().size(), state);
            return daemon;
        } catch (IOException | RuntimeException e) {
            if (daemon != null) {
                daemon.scope.close();
            }
            session.close();
            throw e;
        }
    }

    private static DaemonSettings initialSettings(DaemonConfig config, Path state, DownloadRoots roots) throws IOException {
        Path flagDir = config.downloadDir().orElse(DaemonConfig.fallbackDownloadDir());
        DaemonSettings s = DaemonSettings.defaults(flagDir);
        try {
            s = DaemonSettings.load(state, s);
        } catch (JsonException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot be read, defaults used: {1}",
                    state.resolve(DaemonSettings.FILE), e.getMessage());
        }
        if (config.downloadDir().isPresent()) {
            s = s.withDownloadDir(flagDir);
        }
        try {
            s = s.withDownloadDir(roots.resolve(s.downloadDir().toString()));
        } catch (RpcException outside) {
            s = s.withDownloadDir(roots.roots().getFirst());
        }
        if (config.maxDown().isPresent()) {
            s = s.withDown(Math.max(1, (config.maxDown().getAsLong() + 999) / 1000), config.maxDown().getAsLong() > 0);
        }
        if (config.maxUp().isPresent()) {
            s = s.withUp(Math.max(1, (config.maxUp().getAsLong() + 999) / 1000), config.maxUp().getAsLong() > 0);
        }
        Files.createDirectories(s.downloadDir());
        s.save(state);
        return s;
    }

    /** The state directory, made readable by its owner only when it is new: it holds the password. */
    private static Path createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without owners: nothing to restrict
            }
        }
        return dir;
    }

    private static String newSessionId() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    // ---- for the remote control ------------------------------------------------------------

    Torrents torrents() {
        return torrents;
    }

    DownloadRoots roots() {
        return roots;
    }

    Session session() {
        return session;
    }

    String sessionId() {
        return sessionId;
    }

    Session.Config sessionConfig() {
        return config.session();
    }

    DaemonSettings settings() {
        return settings.get();
    }

    Path stateDir() {
        return config.stateDir();
    }

    long startedMillis() {
        return startedMillis;
    }

    /** Changes the settings, applies the limits and saves them. */
    void updateSettings(UnaryOperator<DaemonSettings> change) throws IOException {
        DaemonSettings s = settings.updateAndGet(change);
        applyLimits();
        s.save(config.stateDir());
    }

    private void applyLimits() {
        DaemonSettings s = settings.get();
        session.setLimits(new RateLimits(s.downBytesPerSecond(), s.upBytesPerSecond()));
    }

    /** A remote control asked the daemon to end ({@code session-close}). */
    void requestClose() {
        closeRequested.countDown();
    }

    // ---- for whoever runs it -----------------------------------------------------------------

    public InetSocketAddress rpcAddress() {
        return http.address();
    }

    public int peerPort() {
        return session.port();
    }

    /** Waits until a remote control asks the daemon to end, or {@code timeout} passes; true if asked. */
    public boolean awaitCloseRequest(Duration timeout) throws InterruptedException {
        return closeRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the remote control, then every torrent (trackers told {@code stopped}, files
     * flushed), then saves every torrent's state with its resume data.
     */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        scope.close();
        session.close();
        torrents.saveAll();
        LOG.log(System.Logger.Level.INFO, "stopped; the state of {0} torrents saved", torrents.all().size());
    }
}
