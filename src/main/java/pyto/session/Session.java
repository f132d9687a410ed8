package pyto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.concurrent.Workers;
import pyto.dht.DhtConfig;
import pyto.dht.DhtNode;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.peer.MessageTrace;
import pyto.peer.PeerTimeouts;
import pyto.tracker.Announcer;
import pyto.wire.PeerId;

/**
 * A BitTorrent client: one peer id, one listening socket, and any number of torrents.
 *
 * <p>Incoming connections are accepted on a virtual thread in the session's scope
 * ({@link IncomingPeers}) and handed to the torrent their handshake names. Closing the session stops every
 * torrent (each tells its trackers {@code stopped}) and ends every thread it started.
 *
 * <pre>{@code
 * try (Session session = Session.start(Session.Config.defaults().withPort(6881))) {
 *     Torrent t = session.add(MetainfoParser.read(file), Path.of("downloads"));
 *     t.awaitCompletion(Duration.ofHours(1));
 * }
 * }</pre>
 */
public final class Session implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());


    /**
     * @param bind               the address to listen on (null: every interface)
     * @param port               0 picks a free port
     * @param maxPeersPerTorrent connections per torrent
     * @param maxPeers           connections in the whole session
     * @param numWant            peers to ask each tracker for
     * @param uploadSlots        peers a torrent uploads to at once, besides the optimistic
     *                           unchoke; 0 never uploads at all (a leech-only client)
     * @param chokeRound         how often each torrent's choker reconsiders (10 s by BEP 3's custom);
     *                           silent peers and quiet connections are looked at as often
     * @param peerTimeouts       when we send keep-alives, and how long a peer may say nothing
     * @param pexInterval        how often peers exchange peer lists (BEP 11: once a minute; tests shorten it)
     * @param dht                the DHT node (BEP 5), on by default
     */
    public record Config(InetAddress bind, int port, int maxPeersPerTorrent, int maxPeers, int numWant,
                         MessageTrace trace, Announcer.Config announcer, int uploadSlots, Duration chokeRound,
                         PeerTimeouts peerTimeouts, Duration pexInterval, DhtSettings dht) {

        public static Config defaults() {
            return new Config(null, 6881, 50, 200, 50, MessageTrace.NONE,
                    Announcer.Config.DEFAULTS, Choker.REGULAR_SLOTS, Duration.ofSeconds(10), PeerTimeouts.DEFAULTS,
                    Duration.ofMinutes(1), DhtSettings.defaults());
        }

        public Config withBind(InetAddress address) {
            return new Config(address, port, maxPeersPerTorrent, maxPeers, numWant, trace,
                    announcer, uploadSlots, chokeRound, peerTimeouts, pexInterval, dht);
        }

        public Config withPort(int p) {
            return new Config(bind, p, maxPeersPerTorrent, maxPeers, numWant, trace,
                    announcer, uploadSlots, chokeRound, peerTimeouts, pexInterval, dht);
        }

        public Config withMaxPeers(int perTorrent, int total) {
            return new Config(bind, port, perTorrent, total, numWant, trace,
                    announcer, uploadSlots, chokeRound, peerTimeouts, pexInterval, dht);
        }

        public Config withTrace(MessageTrace t) {
            return new Config(bind, port, maxPeersPerTorrent, maxPeers, numWant, t,
                    announcer, uploadSlots, chokeRound, peerTimeouts, pexInterval, dht);
        }

        public Config withAnnouncer(Announcer.Config a) {
            return new Config(bind, port, maxPeersPerTorrent, maxPeers, numWant, trace,
                    a, uploadSlots, chokeRound, peerTimeouts, pexInterval, dht);
        }

        /** Keep-alive and silence limits; tests shorten them. */
        public Config withPeerTimeouts(PeerTimeouts timeouts) {
            return new Config(bind, port, maxPeersPerTorrent, maxPeers, numWant, trace,
                    announcer, uploadSlots, chokeRound, timeouts, pexInterval, dht);
        }

        /** How often peers exchange peer lists (BEP 11); tests shorten it. */
        public Config withPexInterval(Duration interval) {
            return new Config(bind, port, maxPeersPerTorrent, maxPeers, numWant, trace,
                    announcer, uploadSlots, chokeRound, peerTimeouts, interval, dht);
        }

        /** The DHT node's settings; {@link DhtSettings#OFF} for none. */
        public Config withDht(DhtSettings settings) {
            return new Config(bind, port, maxPeersPerTorrent, maxPeers, numWant, trace,
                    announcer, uploadSlots, chokeRound, peerTimeouts, pexInterval, settings);
        }

        public Config withChoking(int slots, Duration round) {
            return new Config(bind, port, maxPeersPerTorrent, maxPeers, numWant, trace,
                    announcer, slots, round, peerTimeouts, pexInterval, dht);
        }
    }

    private final Config config;
    private final PeerId peerId = PeerId.generate();
    private final ServerSocket listener;
    private final Scope scope = new Scope("session");
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InfoHash, Torrent> torrents = new LinkedHashMap<>(); // guarded by lock
    private final TokenBucket downloadLimit = new TokenBucket(0);
    private final TokenBucket uploadLimit = new TokenBucket(0);

    private final DhtNode dht; // null without a DHT

    private Session(Config config, ServerSocket listener, DhtNode dht) {
        this.config = config;
        this.listener = listener;
        this.dht = dht;
    }

    /** Opens the listening socket and starts accepting peers. */
    public static Session start(Config config) throws IOException {
        return start(config, new ServerSocket());
    }

    /** As {@link #start(Config)}, on a listener of the caller's (unbound); tests pass one that fails. */
    static Session start(Config config, ServerSocket listener) throws IOException {
        try {
            listener.bind(new InetSocketAddress(config.bind(), config.port()), 128);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen on port " + config.port() + ": " + e.getMessage(), e);
        }
        DhtNode dht;
        try {
            dht = config.dht().enabled() ? startDht(config, listener) : null;
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        Session session = new Session(config, listener, dht);
        IncomingPeers incoming = new IncomingPeers(listener, session.scope, session::torrent);
        session.scope.fork("accept", incoming::acceptLoop);
        return session;
    }

    /**
     * The DHT node (BEP 5), on the port number of the TCP listener unless the settings name
     * another. When that UDP port is taken, the node takes any free one rather than leave the
     * session without a DHT: peers learn the port from our port messages anyway.
     */
    private static DhtNode startDht(Config config, ServerSocket listener) throws IOException {
        DhtSettings settings = config.dht();
        int port = settings.port() == DhtSettings.SAME_AS_PEERS ? listener.getLocalPort() : settings.port();
        DhtConfig dht = DhtConfig.of(config.bind() != null ? config.bind() : InetAddress.getByName("0.0.0.0"), port)
                .withBootstrap(settings.bootstrap()).withTrace(settings.trace());
        if (settings.stateDirectory().isPresent()) {
            dht = dht.withStateDirectory(settings.stateDirectory().get());
        }
        try {
            return DhtNode.start(dht);
        } catch (IOException e) {
            if (settings.port() != DhtSettings.SAME_AS_PEERS) {
                throw new IOException("cannot open the DHT's UDP port " + port + ": " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.WARNING, "UDP port {0} is taken; the DHT takes another", port);
            return DhtNode.start(new DhtConfig(dht.bindAddress(), 0, dht.stateDirectory(), dht.bootstrap(),
                    dht.trace(), dht.clock(), dht.limits()));
        }
    }

    /** Adds a torrent and starts it: check what is on disk in {@code downloadDir}, then download or seed. */
    public Torrent add(Metainfo metainfo, Path downloadDir) throws IOException {
        return add(metainfo, downloadDir, AddOptions.DEFAULTS);
    }

    /** As {@link #add(Metainfo, Path)}, with resume data to trust, or paused. */
    public Torrent add(Metainfo metainfo, Path downloadDir, AddOptions options) throws IOException {
        Torrent torrent = new Torrent(this, metainfo, downloadDir);
        options.resumeData().ifPresent(torrent.content().orElseThrow()::trust);
        return add(torrent, options.paused());
    }

    /**
     * Adds a torrent known by its magnet link (BEP 9) and starts it: its metadata comes from
     * peers, unless an earlier run left it as a .torrent in {@code downloadDir}.
     */
    public Torrent add(MagnetLink link, Path downloadDir) throws IOException {
        return add(link, downloadDir, AddOptions.DEFAULTS);
    }

    /** As {@link #add(MagnetLink, Path)}, paused if asked (resume data needs the metainfo: it is ignored here). */
    public Torrent add(MagnetLink link, Path downloadDir, AddOptions options) throws IOException {
        Optional<Metainfo> saved = SavedTorrents.find(downloadDir, link);
        if (saved.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "{0}: metadata read from the .torrent an earlier run saved",
                    saved.get().name());
            return add(saved.get(), downloadDir, options);
        }
        return add(new Torrent(this, link, downloadDir), options.paused());
    }

    private Torrent add(Torrent torrent, boolean paused) throws IOException {
        lock.lock();
        try {
            if (torrents.containsKey(torrent.infoHash())) {
                throw new IOException(torrent.name() + " is already in this session");
            }
            if (torrent.location().isPresent()) {
                checkLocation(torrent, torrent.location().get());
            }
            torrents.put(torrent.infoHash(), torrent);
        } finally {
            lock.unlock();
        }
        if (paused) {
            torrent.pause(); // nothing runs yet: it only says PAUSED
        } else {
            torrent.start();
        }
        return torrent;
    }

    /** Two torrents of a session must not write into the same files. */
    void checkLocation(Torrent torrent, Path location) throws IOException {
        for (Torrent other : torrents()) {
            if (other != torrent && other.location().filter(location::equals).isPresent()) {
                throw new IOException(torrent.name() + " would write into " + location
                        + ", where " + other + " already is: choose another directory");
            }
        }
    }

    /** Stops a torrent and forgets it; its files stay where they are. */
    public void remove(InfoHash infoHash) {
        Torrent torrent;
        lock.lock();
        try {
            torrent = torrents.remove(infoHash);
        } finally {
            lock.unlock();
        }
        if (torrent == null) {
            throw unknown(infoHash);
        }
        torrent.close();
    }

    /** Closes the torrent's peers and tells its trackers {@code stopped}; {@link #resume} continues it. */
    public void pause(InfoHash infoHash) {
        torrent(infoHash).orElseThrow(() -> unknown(infoHash)).pause();
    }

    /** Continues a paused torrent; what was verified before is not checked again. */
    public void resume(InfoHash infoHash) {
        torrent(infoHash).orElseThrow(() -> unknown(infoHash)).resume();
    }

    /** Limits for the whole session, shared by all its torrents; changeable at any time. */
    public void setLimits(RateLimits limits) {
        downloadLimit.setRate(limits.downloadBytesPerSecond());
        uploadLimit.setRate(limits.uploadBytesPerSecond());
    }

    /** Limits for one torrent, within the session's. */
    public void setLimits(InfoHash infoHash, RateLimits limits) {
        torrent(infoHash).orElseThrow(() -> unknown(infoHash)).setLimits(limits);
    }

    public RateLimits limits() {
        return new RateLimits(downloadLimit.rate(), uploadLimit.rate());
    }

    /** A snapshot of every torrent, in the order they were added. */
    public List<TorrentStatus> status() {
        return torrents().stream().map(Torrent::status).toList();
    }

    public Optional<Torrent> torrent(InfoHash infoHash) {
        lock.lock();
        try {
            return Optional.ofNullable(torrents.get(infoHash));
        } finally {
            lock.unlock();
        }
    }

    public List<Torrent> torrents() {
        lock.lock();
        try {
            return List.copyOf(torrents.values());
        } finally {
            lock.unlock();
        }
    }

    private static IllegalArgumentException unknown(InfoHash infoHash) {
        return new IllegalArgumentException("no torrent " + infoHash.hex() + " in this session");
    }

    public int port() {
        return listener.getLocalPort();
    }

    public PeerId peerId() {
        return peerId;
    }

    /** The session's DHT node, unless the DHT is off. */
    public Optional<DhtNode> dht() {
        return Optional.ofNullable(dht);
    }

    Config config() {
        return config;
    }

    /** Whether the session has all the connections it may have. */
    boolean isFull() {
        int total = 0;
        for (Torrent t : torrents()) {
            total += t.swarm().peers().size();
        }
        return total >= config.maxPeers();
    }

    /** Whether {@code address} is this session's own listening socket (a tracker lists us too). */
    boolean isOwnAddress(InetSocketAddress address) {
        if (address.getPort() != port()) {
            return false;
        }
        InetAddress a = address.getAddress();
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.equals(listener.getInetAddress());
    }

    /** The session-wide download limit, shared by every torrent's connections. */
    TokenBucket downloadLimit() {
        return downloadLimit;
    }

    TokenBucket uploadLimit() {
        return uploadLimit;
    }

    /**
     * Stops every torrent, in parallel so their {@code stopped} announces overlap, then the
     * listener and every remaining thread.
     */
    @Override
    public void close() {
        List<Torrent> all = torrents();
        try {
            Workers.run("stop", all.size(), i -> all.get(i).close());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.WARNING, "stopping torrents: {0}", e.getMessage());
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // the port is released either way
        }
        if (dht != null) {
            dht.close(); // after the torrents: their lookups end with them
        }
        scope.close();
    }
}
