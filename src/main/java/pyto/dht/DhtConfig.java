package pyto.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * How to start a {@link DhtNode}: where to bind its UDP socket, where to keep its state, whom
 * to ask first, and its limits.
 *
 * @param bindAddress    the address to bind (tests: 127.0.0.1)
 * @param port           the UDP port; 0 picks a free one
 * @param stateDirectory where our id and good nodes are kept between runs; empty: nowhere
 * @param bootstrap      nodes to ask first, after the saved ones; host names are resolved in the background
 * @param trace          told of every message (--trace)
 * @param clock          the time the routing table, tokens and storage go by; tests pass a fake one
 * @param limits         waits, sizes and rates
 */
public record DhtConfig(InetAddress bindAddress, int port, Optional<Path> stateDirectory,
                        List<InetSocketAddress> bootstrap, DhtTrace trace, InstantSource clock, DhtLimits limits) {

    /** The well-known routers of the mainline DHT, as libtorrent, Transmission and others use them. */
    public static final List<InetSocketAddress> PUBLIC_ROUTERS = List.of(
            InetSocketAddress.createUnresolved("dht.libtorrent.org", 25401),
            InetSocketAddress.createUnresolved("router.bittorrent.com", 6881),
            InetSocketAddress.createUnresolved("router.utorrent.com", 6881),
            InetSocketAddress.createUnresolved("dht.transmissionbt.com", 6881));

    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
    }

    /** A node on {@code bindAddress:port} with no saved state, no bootstrap nodes and default limits. */
    public static DhtConfig of(InetAddress bindAddress, int port) {
        return new DhtConfig(bindAddress, port, Optional.empty(), List.of(), DhtTrace.NONE, InstantSource.system(),
                DhtLimits.DEFAULTS);
    }

    public DhtConfig withStateDirectory(Path directory) {
        return new DhtConfig(bindAddress, port, Optional.ofNullable(directory), bootstrap, trace, clock, limits);
    }

    public DhtConfig withBootstrap(List<InetSocketAddress> nodes) {
        return new DhtConfig(bindAddress, port, stateDirectory, nodes, trace, clock, limits);
    }

    public DhtConfig withTrace(DhtTrace newTrace) {
        return new DhtConfig(bindAddress, port, stateDirectory, bootstrap, newTrace, clock, limits);
    }

    public DhtConfig withClock(InstantSource newClock) {
        return new DhtConfig(bindAddress, port, stateDirectory, bootstrap, trace, newClock, limits);
    }

    public DhtConfig withLimits(DhtLimits newLimits) {
        return new DhtConfig(bindAddress, port, stateDirectory, bootstrap, trace, clock, newLimits);
    }
}
