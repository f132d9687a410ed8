package pyto.dht;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import pyto.bencode.BString;
import pyto.concurrent.Scope;
import pyto.dht.KrpcMessage.AnnouncePeer;
import pyto.dht.KrpcMessage.FindNode;
import pyto.dht.KrpcMessage.GetPeers;
import pyto.dht.KrpcMessage.Ping;
import pyto.dht.KrpcMessage.Query;
import pyto.dht.Transactions.Answered;
import pyto.dht.Transactions.Outcome;
import pyto.metainfo.InfoHash;

/**
 * A node of the BitTorrent DHT (BEP 5, with BEP 42's secure ids and BEP 51's sampling): it
 * answers other nodes, keeps a routing table, stores the peers announced to it, and finds
 * peers for our torrents with no tracker.
 *
 * <pre>{@code
 * try (DhtNode dht = DhtNode.start(DhtConfig.of(InetAddress.getLoopbackAddress(), 6881)
 *         .withBootstrap(DhtConfig.PUBLIC_ROUTERS))) {
 *     List<InetSocketAddress> peers = dht.getPeers(infoHash);    // one lookup, on this thread
 *     dht.announce(infoHash, 51413, false);                      // and tell the closest nodes
 * }
 * }</pre>
 *
 * <p>Threads: the node owns a {@link Scope} with a reader thread ({@link KrpcSocket}, which
 * also answers queries), a sender thread, a timeout sweeper and the {@link Maintenance} thread
 * (bootstrap, refresh, pings, saving). Lookups and announces run on the caller's thread, so a
 * torrent that stops (interrupting its threads) stops its lookups. Each part keeps its own
 * lock: routing table, transactions, storage, tokens, rate limits.
 */
public final class DhtNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DhtNode.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Unknown nodes that queried us are pinged once a minute at most, however often they ask. */
    private static final Duration PING_BACK_EVERY = Duration.ofMinutes(1);
    private static final int PING_BACK_MEMORY = 1024;

    private final DhtConfig config;
    private final DhtLimits limits;
    private final Scope scope = new Scope("dht");
    private final Traffic traffic = new Traffic();
    private final KrpcSocket socket;
    private final RoutingTable table;
    private final Transactions transactions;
    private final Tokens tokens;
    private final PeerStore store;
    private final QueryHandler handler;
    private final ExternalAddress external = new ExternalAddress();
    private final ReentrantLock pingBackLock = new ReentrantLock();
    private final Map<InetSocketAddress, Long> pingedBack = new LinkedHashMap<>(16, 0.75f, true);
    private volatile boolean closed;

    private DhtNode(DhtConfig config, NodeId id) throws IOException {
        this.config = config;
        this.limits = config.limits();
        RateLimiter limiter = new RateLimiter(config.clock(), limits.sourceBurst(), limits.sourcePerSecond(),
                limits.maxSources(), limits.sendsPerSecond());
        this.socket = KrpcSocket.bind(new InetSocketAddress(config.bindAddress(), config.port()), limiter, config.trace(), traffic);
        this.table = new RoutingTable(id, config.clock());
        this.transactions = new Transactions(config.clock(), limits.maxTransactions());
        this.tokens = new Tokens(config.clock());
        this.store = new PeerStore(config.clock(), limits.maxInfoHashes(), limits.maxPeersPerInfoHash(), limits.peerLifetime());
        this.handler = new QueryHandler(table, tokens, store, limits.maxPeersPerReply());
    }

    /**
     * Binds the UDP socket, loads the saved state, and starts the node's threads; bootstrapping
     * goes on in the background.
     */
    public static DhtNode start(DhtConfig config) throws IOException {
        Optional<StateFile.Saved> saved = config.stateDirectory().flatMap(StateFile::load);
        DhtNode node = new DhtNode(config, saved.map(StateFile.Saved::id).orElseGet(() -> NodeId.random(RANDOM)));
        Bootstrap bootstrap = new Bootstrap(node, saved.map(StateFile.Saved::nodes).orElse(List.of()), config.bootstrap());
        Duration sweep = Duration.ofMillis(Math.clamp(config.limits().queryTimeout().toMillis() / 10, 10, 250));
        node.scope.fork("reader", () -> node.socket.readLoop(node.new Receiver()));
        node.scope.fork("sender", node.socket::sendLoop);
        node.scope.forkPeriodic("timeouts", sweep, node::expireQueries);
        node.scope.fork("maintenance", new Maintenance(node, bootstrap)::run);
        return node;
    }

    public int port() {
        return socket.port();
    }

    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    public NodeId id() {
        return table.ownId();
    }

    // ---- lookups, on the caller's thread ------------------------------------------------------

    /** Looks up the nodes closest to {@code target} (find_node). */
    public LookupResult findNode(NodeId target, LookupObserver observer) throws InterruptedException {
        NodeId own = id();
        return new Lookup(target, own, tid -> new FindNode(tid, own, target), this::query, limits, observer)
                .run(table.closest(target, 2 * Bucket.SIZE));
    }

    /** Looks up the peers of a torrent (get_peers); the observer sees them as they come. */
    public LookupResult getPeers(InfoHash infoHash, LookupObserver observer) throws InterruptedException {
        NodeId own = id();
        NodeId target = NodeId.of(infoHash);
        return new Lookup(target, own, tid -> new GetPeers(tid, own, infoHash), this::query, limits, observer)
                .run(table.closest(target, 2 * Bucket.SIZE));
    }

    /** The peers of a torrent, after one full lookup. */
    public List<InetSocketAddress> getPeers(InfoHash infoHash) throws InterruptedException {
        return getPeers(infoHash, LookupObserver.NONE).peers();
    }

    /**
     * Looks up the torrent's peers, then announces us as one of them (announce_peer) to the
     * closest nodes that gave us a token; waits for their answers one query timeout at most.
     *
     * @param port        our BitTorrent port
     * @param impliedPort ask the nodes to take the source port of our UDP packets instead (BEP 5,
     *                    for peers behind a NAT that speak uTP on the DHT port)
     */
    public LookupResult announce(InfoHash infoHash, int port, boolean impliedPort, LookupObserver observer)
            throws InterruptedException {
        LookupResult found = getPeers(infoHash, observer);
        NodeId own = id();
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        int sent = 0;
        for (Map.Entry<Contact, BString> e : found.tokens().entrySet()) {
            if (query(e.getKey().address(), tid -> new AnnouncePeer(tid, own, infoHash, port, impliedPort, e.getValue()),
                    outcomes::add)) {
                sent++;
            }
        }
        int accepted = 0;
        long deadline = System.nanoTime() + limits.queryTimeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        for (int i = 0; i < sent; i++) {
            Outcome o = outcomes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (o == null) {
                break;
            }
            accepted += o instanceof Answered ? 1 : 0;
        }
        return found.withAnnounced(accepted);
    }

    public LookupResult announce(InfoHash infoHash, int port, boolean impliedPort) throws InterruptedException {
        return announce(infoHash, port, impliedPort, LookupObserver.NONE);
    }

    // ---- telling the node of others --------------------------------------------------------

    /** Pings a node (a peer's BEP 5 port message, say); it enters the routing table if it answers. */
    public void ping(InetSocketAddress node) {
        if (!node.isUnresolved() && !table.contains(node)) {
            query(node, tid -> new Ping(tid, id()), outcome -> { });
        }
    }

    /**
     * A node to start from (a bootstrap node, a .torrent's "nodes"): asked for the nodes
     * closest to us, so that it and those it knows can enter the table. A host name is resolved
     * in the background.
     */
    public void addNode(InetSocketAddress node) {
        if (node.isUnresolved()) {
            Bootstrap.resolveInBackground(node).thenAccept(resolved -> resolved.ifPresent(this::addNode));
            return;
        }
        NodeId own = id();
        query(node, tid -> new FindNode(tid, own, own), outcome -> { });
    }

    /**
     * Our public address as someone reports it (a tracker's "external ip", BEP 10's "yourip").
     * Once enough reports agree, a public address gives us a BEP 42 id if ours does not match it.
     */
    public void learnExternalAddress(InetAddress address) {
        external.vote(address, new Object()).ifPresent(this::adopt);
    }

    public DhtStatus status() {
        return new DhtStatus(table.goodCount(), table.size(), table.bucketCount(), store.infoHashCount(),
                store.peerCount(), transactions.size(), traffic.inPerSecond(), traffic.outPerSecond(),
                traffic.dropped.get());
    }

    /** The nodes we know closest to {@code target}, e.g. for a new .torrent's "nodes". */
    public List<Contact> closestNodes(NodeId target, int count) {
        return table.closest(target, count);
    }

    /** Saves the state, stops every thread of the node and closes its socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        saveState();
        socket.close();
        scope.close();
    }

    // ---- for the package ---------------------------------------------------------------------

    DhtLimits limits() {
        return limits;
    }

    RoutingTable table() {
        return table;
    }

    PeerStore store() {
        return store;
    }

    Traffic traffic() {
        return traffic;
    }

    /** Sends one query of ours; see {@link Lookup.Network}. */
    boolean query(InetSocketAddress to, Function<BString, Query> message, Consumer<Outcome> onOutcome) {
        if (closed || !Addresses.isUsable(to)) {
            return false;
        }
        Optional<BString> tid = transactions.open(to, limits.queryTimeout(), onOutcome);
        if (tid.isEmpty()) {
            return false;
        }
        if (!socket.send(message.apply(tid.get()), to)) {
            transactions.cancel(tid.get());
            return false;
        }
        return true;
    }

    void saveState() {
        if (config.stateDirectory().isEmpty()) {
            return;
        }
        try {
            StateFile.save(config.stateDirectory().get(), table.ownId(), table.liveContacts());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "DHT: cannot save its state in " + config.stateDirectory().get() + ": " + e);
        }
    }

    private void expireQueries() {
        for (Transactions.Pending p : transactions.expire()) {
            table.onFailure(p.to());
            p.onOutcome().accept(new Transactions.TimedOut());
        }
    }

    /** BEP 42: once we know our public IP, our id should match it. */
    private void adopt(InetAddress publicAddress) {
        NodeId id = table.ownId();
        if (!id.isSecureFor(publicAddress)) {
            NodeId secure = NodeId.secure(publicAddress, RANDOM);
            table.changeId(secure);
            LOG.log(System.Logger.Level.INFO, "DHT: our public address is " + publicAddress.getHostAddress()
                    + "; new node id " + secure + " to match it (BEP 42)");
        }
    }

    /** Pings an unknown node that queried us, once a minute at most, so it may enter the table. */
    private void pingBack(InetSocketAddress node) {
        long now = System.nanoTime();
        pingBackLock.lock();
        try {
            Long last = pingedBack.get(node);
            if (last != null && now - last < PING_BACK_EVERY.toNanos()) {
                return;
            }
            pingedBack.put(node, now);
            if (pingedBack.size() > PING_BACK_MEMORY) {
                pingedBack.remove(pingedBack.keySet().iterator().next());
            }
        } finally {
            pingBackLock.unlock();
        }
        query(node, tid -> new Ping(tid, id()), outcome -> { });
    }

    /** What the reader thread does with each message. */
    private final class Receiver implements KrpcSocket.Handler {
        @Override
        public KrpcMessage onQuery(Query query, InetSocketAddress from) {
            Contact sender = new Contact(query.sender(), from);
            table.onQuery(sender);
            if (table.wants(sender, query.sender().isSecureFor(from.getAddress()))) {
                pingBack(from);
            }
            return handler.answer(query, from);
        }

        @Override
        public void onResponse(KrpcMessage.Response response, InetSocketAddress from) {
            Optional<Transactions.Pending> pending = transactions.close(response.tid(), from);
            if (pending.isEmpty()) {
                traffic.dropped.incrementAndGet(); // an answer to nothing we asked
                return;
            }
            table.onResponse(new Contact(response.sender(), from), response.sender().isSecureFor(from.getAddress()));
            response.requester().ifPresent(me -> external.vote(me.getAddress(), Addresses.key(from)).ifPresent(DhtNode.this::adopt));
            pending.get().onOutcome().accept(new Answered(response));
        }

        @Override
        public void onError(KrpcMessage.Error error, InetSocketAddress from) {
            transactions.close(error.tid(), from)
                    .ifPresent(p -> p.onOutcome().accept(new Transactions.Failed(error)));
        }
    }
}
