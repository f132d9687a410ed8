package pyto.tracker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import pyto.bencode.BDict;
import pyto.concurrent.Acceptor;
import pyto.concurrent.Scope;

/**
 * An embedded tracker over HTTP (BEP 3 announce, BEP 23 compact replies, BEP 7 peers6, BEP 48
 * scrape) and UDP (BEP 15): what {@code pyto tracker} runs, and what swarm tests announce to.
 * Both sides share one {@link SwarmRegistry}, so HTTP and UDP peers of a torrent find each other.
 *
 * <p>One virtual thread accepts connections and one more serves each, all in the server's own
 * {@link Scope} through an {@link Acceptor}, which caps how many are served at once (the rest wait in the
 * listen backlog). Each connection carries one request, read under a timeout, and gets one
 * reply, then is closed ({@code Connection: close}). One more thread answers UDP datagrams
 * ({@link UdpTrackerServer}), on the HTTP port's number unless configured otherwise.
 * {@link #close()} stops everything.
 *
 * <p>Every request gets an answer, never a silently dropped connection: see
 * {@link RequestHead.BadRequest} for when that answer is 200 with a failure reason, and when 400.
 */
public final class TrackerServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TrackerServer.class.getName());

    /**
     * @param interval the {@code interval} told to clients; peers silent for two are forgotten
     * @param minInterval the {@code min interval} told to clients
     * @param maxConnections how many connections are served at once
     * @param readTimeout how long a client may take to send its request
     * @param maxPeers how many peers the tracker remembers over all torrents
     * @param clock the time peers are stamped with and UDP connection ids are made from (tests move it by hand)
     * @param udpPort where UDP (BEP 15) is served: {@link #UDP_SAME_PORT} (the default) on the
     *     HTTP port's number, 0 on any free port, {@link #UDP_OFF} not at all
     */
    public record Config(Duration interval, Duration minInterval, int maxConnections, Duration readTimeout,
            int maxPeers, Clock clock, int udpPort) {
        public static final int UDP_SAME_PORT = -2;
        public static final int UDP_OFF = -1;
        public static final Config DEFAULTS = new Config(Duration.ofMinutes(30), Duration.ofMinutes(1), 64,
                Duration.ofSeconds(10), 100_000, Clock.systemUTC(), UDP_SAME_PORT);

        public Config {
            if (udpPort < UDP_SAME_PORT || udpPort > 65535) {
                throw new IllegalArgumentException("udpPort must be a port, 0, UDP_SAME_PORT or UDP_OFF, not " + udpPort);
            }
        }

        /** These settings serving UDP on the HTTP port's number. */
        public Config(Duration interval, Duration minInterval, int maxConnections, Duration readTimeout,
                int maxPeers, Clock clock) {
            this(interval, minInterval, maxConnections, readTimeout, maxPeers, clock, UDP_SAME_PORT);
        }

        /** These settings with another announce interval (a min interval no longer than it). */
        public Config withInterval(Duration newInterval) {
            Duration min = minInterval.compareTo(newInterval) > 0 ? newInterval : minInterval;
            return new Config(newInterval, min, maxConnections, readTimeout, maxPeers, clock, udpPort);
        }

        public Config withMaxConnections(int newMax) {
            return new Config(interval, minInterval, newMax, readTimeout, maxPeers, clock, udpPort);
        }

        public Config withReadTimeout(Duration newTimeout) {
            return new Config(interval, minInterval, maxConnections, newTimeout, maxPeers, clock, udpPort);
        }

        public Config withClock(Clock newClock) {
            return new Config(interval, minInterval, maxConnections, readTimeout, maxPeers, newClock, udpPort);
        }

        /** See {@code udpPort} above. */
        public Config withUdpPort(int newUdpPort) {
            return new Config(interval, minInterval, maxConnections, readTimeout, maxPeers, clock, newUdpPort);
        }
    }

    /** How often a free HTTP port is picked again when its number is taken for UDP. */
    private static final int BIND_ATTEMPTS = 10;

    private final ServerSocket listener;
    private final Config config;
    private final Scope scope = new Scope("tracker-server");
    private final SwarmRegistry registry;
    private final TrackerEndpoints endpoints;
    private final UdpTrackerServer udp; // null when UDP is off

    private TrackerServer(ServerSocket listener, Config config, SwarmRegistry registry, UdpTrackerServer udp) {
        this.listener = listener;
        this.config = config;
        this.registry = registry;
        this.endpoints = new TrackerEndpoints(registry, config.interval(), config.minInterval());
        this.udp = udp;
    }

    /**
     * How long a silent peer is kept: two intervals, but never less than ten minutes. Clients
     * do not announce as often as a short interval asks (pyto waits at least 10 s between
     * announces, libtorrent at least 5 minutes), and a live seeder that vanished from the list
     * between its announces would be found by nobody.
     */
    static Duration peerExpiry(Duration interval) {
        Duration twice = interval.multipliedBy(2);
        Duration floor = Duration.ofMinutes(10);
        return twice.compareTo(floor) < 0 ? floor : twice;
    }

    /** Binds {@code bind} (port 0 picks a free port) for HTTP, and for UDP as configured, and starts serving. */
    public static TrackerServer start(InetSocketAddress bind, Config config) throws IOException {
        SwarmRegistry registry = new SwarmRegistry(config.clock(), peerExpiry(config.interval()), config.maxPeers());
        UdpEndpoints udpEndpoints = new UdpEndpoints(registry, new ConnectionIds(config.clock()), config.interval());
        for (int attempt = 1;; attempt++) {
            ServerSocket listener = new ServerSocket();
            try {
                listener.bind(bind, 128);
                int udpPort = config.udpPort() == Config.UDP_SAME_PORT ? listener.getLocalPort() : config.udpPort();
                UdpTrackerServer udp = config.udpPort() == Config.UDP_OFF ? null
                        : UdpTrackerServer.bind(new InetSocketAddress(bind.getAddress(), udpPort), udpEndpoints);
                return start(new TrackerServer(listener, config, registry, udp));
            } catch (BindException e) {
                listener.close();
                // a free TCP port we were given may be taken for UDP by someone else: then pick another
                boolean udpTookTheFreePort = bind.getPort() == 0 && listener.getLocalPort() > 0
                        && config.udpPort() == Config.UDP_SAME_PORT;
                if (!udpTookTheFreePort || attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                listener.close();
                throw e;
            }
        }
    }

    private static TrackerServer start(TrackerServer server) {
        server.scope.fork("accept", new Acceptor(server.listener, server.scope, "tracker clients",
                server.config.maxConnections(), Acceptor.WhenFull.WAIT, server::serve)::run);
        server.scope.forkPeriodic("expire", server.config.interval(), server.registry::expire);
        LOG.log(System.Logger.Level.INFO, "tracker listening on " + server.announceUrl());
        if (server.udp != null) {
            server.scope.fork("udp", server.udp::serve);
            LOG.log(System.Logger.Level.INFO, "tracker listening on " + server.udpAnnounceUrl().orElseThrow());
        }
        return server;
    }

    /** The port it listens on for HTTP. */
    public int port() {
        return listener.getLocalPort();
    }

    /** The port it listens on for UDP, unless UDP is off. */
    public OptionalInt udpPort() {
        return udp == null ? OptionalInt.empty() : OptionalInt.of(udp.port());
    }

    /** The HTTP announce URL for clients on this machine. */
    public String announceUrl() {
        return "http://" + hostPort() + "/announce";
    }

    /** The UDP announce URL for clients on this machine, unless UDP is off. */
    public Optional<String> udpAnnounceUrl() {
        return udp == null ? Optional.empty() : Optional.of("udp://" + host() + ":" + udp.port() + "/announce");
    }

    private String hostPort() {
        return host() + ":" + port();
    }

    private String host() {
        String host = listener.getInetAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Stops accepting, ends every connection and waits until all threads are gone. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the tracker socket: " + e);
        }
        if (udp != null) {
            udp.close();
        }
        scope.close();
    }


    /** One request, one reply, on the connection's own virtual thread. */
    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) config.readTimeout().toMillis());
            InputStream in = new BufferedInputStream(connection.getInputStream());
            int status;
            BDict reply;
            try {
                RequestHead head = RequestHead.read(in);
                if (head == null) {
                    return; // connected and left without a word: nothing to answer
                }
                status = 200;
                reply = endpoints.answer(head, connection.getInetAddress());
            } catch (RequestHead.BadRequest e) {
                status = e.status();
                reply = TrackerEndpoints.failure(e.getMessage());
            }
            send(connection.getOutputStream(), status, reply.encode());
            lingeringClose(connection, in);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "tracker connection " + connection.getRemoteSocketAddress() + ": " + e);
        }
    }

    private static void send(OutputStream out, int status, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + (status == 200 ? "200 OK" : status + " Bad Request") + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /**
     * Closing a socket with unread input makes TCP reset the connection, and the client may lose
     * the reply it has not read yet: a refused 9 KiB request would never learn why. So end our
     * side first, then read (and drop) what the client still sends, briefly, before closing.
     */
    private static void lingeringClose(Socket connection, InputStream in) throws IOException {
        connection.shutdownOutput();
        connection.setSoTimeout(1000);
        long drained = 0;
        while (drained < 64 * 1024 && in.read() >= 0) {
            drained++; // a timeout ends this too, as an exception the caller logs
        }
    }
}
