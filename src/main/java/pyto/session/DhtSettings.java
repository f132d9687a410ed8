package pyto.session;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import pyto.dht.DhtConfig;
import pyto.dht.DhtTrace;
import pyto.dht.StateDirectory;

/**
 * Whether and how a session runs a DHT node (BEP 5), with which its torrents find peers with
 * no tracker.
 *
 * @param enabled          false: no DHT at all (pyto download --no-dht)
 * @param port             the UDP port; {@link #SAME_AS_PEERS} for the number of the TCP listener
 * @param bootstrap        nodes to ask first when no saved node answers
 * @param stateDirectory   where the node keeps its id and good nodes between runs; empty: nowhere
 * @param trace            told of every KRPC message (--trace)
 * @param lookupInterval   how often a torrent short of peers asks the DHT again
 * @param announceInterval how often a torrent announces itself on the DHT
 */
public record DhtSettings(boolean enabled, int port, List<InetSocketAddress> bootstrap,
                          Optional<Path> stateDirectory, DhtTrace trace, Duration lookupInterval,
                          Duration announceInterval) {

    public static final int SAME_AS_PEERS = -1;

    /** No DHT. */
    public static final DhtSettings OFF = new DhtSettings(false, SAME_AS_PEERS, List.of(), Optional.empty(),
            DhtTrace.NONE, Duration.ofMinutes(5), Duration.ofMinutes(15));

    public DhtSettings {
        bootstrap = List.copyOf(bootstrap);
    }

    /** The DHT on the listener's port number, bootstrapped by the well-known routers, saved in the user's state directory. */
    public static DhtSettings defaults() {
        return new DhtSettings(true, SAME_AS_PEERS, DhtConfig.PUBLIC_ROUTERS, Optional.of(StateDirectory.standard()),
                DhtTrace.NONE, Duration.ofMinutes(5), Duration.ofMinutes(15));
    }

    public DhtSettings withPort(int udpPort) {
        return new DhtSettings(enabled, udpPort, bootstrap, stateDirectory, trace, lookupInterval, announceInterval);
    }

    public DhtSettings withBootstrap(List<InetSocketAddress> nodes) {
        return new DhtSettings(enabled, port, nodes, stateDirectory, trace, lookupInterval, announceInterval);
    }

    public DhtSettings withStateDirectory(Optional<Path> directory) {
        return new DhtSettings(enabled, port, bootstrap, directory, trace, lookupInterval, announceInterval);
    }

    public DhtSettings withTrace(DhtTrace t) {
        return new DhtSettings(enabled, port, bootstrap, stateDirectory, t, lookupInterval, announceInterval);
    }

    /** How often torrents ask and announce; tests shorten them. */
    public DhtSettings withIntervals(Duration lookup, Duration announce) {
        return new DhtSettings(enabled, port, bootstrap, stateDirectory, trace, lookup, announce);
    }
}
