package pyto.daemon;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import pyto.session.Session;

/**
 * How {@code pyto daemon} runs: where its state is, where torrents go and may go, its peer
 * session's settings, and its remote control's address, names and password.
 *
 * @param downloadDir   where new torrents go; empty: the saved setting, else {@code ~/Downloads}
 * @param downloadRoots where a remote control may put torrents; empty: the download directory
 * @param rpc           the remote control's address (127.0.0.1:9091 by default)
 * @param rpcHosts      host names clients may call the daemon by, besides localhost and IP literals
 * @param rpcPassword   the password; empty: the one in {@code STATE/rpc-password}, made at first start
 * @param maxDown       a download limit for the session in bytes/s, over the saved setting
 * @param saveInterval  how often changed torrents are saved (a minute; tests shorten it)
 */
public record DaemonConfig(Path stateDir, Optional<Path> downloadDir, List<Path> downloadRoots, Session.Config session,
                           InetSocketAddress rpc, Set<String> rpcHosts, Optional<String> rpcPassword,
                           OptionalLong maxDown, OptionalLong maxUp, HttpServer.Config http, Duration saveInterval) {

    public static final int DEFAULT_RPC_PORT = 9091;

    public DaemonConfig {
        downloadRoots = List.copyOf(downloadRoots);
        rpcHosts = Set.copyOf(rpcHosts);
    }

    public static DaemonConfig defaults(Path stateDir) {
        return new DaemonConfig(stateDir, Optional.empty(), List.of(), Session.Config.defaults(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_RPC_PORT), Set.of(), Optional.empty(),
                OptionalLong.empty(), OptionalLong.empty(), HttpServer.Config.DEFAULTS, Duration.ofMinutes(1));
    }

    /** Where torrents go when neither {@code -d} nor a saved setting says. */
    static Path fallbackDownloadDir() {
        return Path.of(System.getProperty("user.home"), "Downloads");
    }

    public DaemonConfig withDownloadDir(Path dir) {
        return new DaemonConfig(stateDir, Optional.of(dir), downloadRoots, session, rpc, rpcHosts, rpcPassword,
                maxDown, maxUp, http, saveInterval);
    }

    public DaemonConfig withDownloadRoots(List<Path> roots) {
        return new DaemonConfig(stateDir, downloadDir, roots, session, rpc, rpcHosts, rpcPassword,
                maxDown, maxUp, http, saveInterval);
    }

    public DaemonConfig withSession(Session.Config s) {
        return new DaemonConfig(stateDir, downloadDir, downloadRoots, s, rpc, rpcHosts, rpcPassword,
                maxDown, maxUp, http, saveInterval);
    }

    public DaemonConfig withRpc(InetSocketAddress address, Set<String> hosts) {
        return new DaemonConfig(stateDir, downloadDir, downloadRoots, session, address, hosts, rpcPassword,
                maxDown, maxUp, http, saveInterval);
    }

    public DaemonConfig withRpcPassword(String password) {
        return new DaemonConfig(stateDir, downloadDir, downloadRoots, session, rpc, rpcHosts, Optional.of(password),
                maxDown, maxUp, http, saveInterval);
    }

    public DaemonConfig withLimits(OptionalLong down, OptionalLong up) {
        return new DaemonConfig(stateDir, downloadDir, downloadRoots, session, rpc, rpcHosts, rpcPassword,
                down, up, http, saveInterval);
    }

    public DaemonConfig withHttp(HttpServer.Config h) {
        return new DaemonConfig(stateDir, downloadDir, downloadRoots, session, rpc, rpcHosts, rpcPassword,
                maxDown, maxUp, h, saveInterval);
    }

    public DaemonConfig withSaveInterval(Duration interval) {
        return new DaemonConfig(stateDir, downloadDir, downloadRoots, session, rpc, rpcHosts, rpcPassword,
                maxDown, maxUp, http, interval);
    }
}
