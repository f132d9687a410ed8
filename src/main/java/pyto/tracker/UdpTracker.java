package pyto.tracker;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import pyto.metainfo.InfoHash;

/**
 * A UDP tracker (BEP 15), {@code udp://host:port}: four small packets where HTTP needs a TCP
 * connection. A connect exchange gets a connection id, which proves to the tracker that we
 * receive at our address; announces and scrapes then carry it. Anything after the port in the
 * URL is ignored (BEP 41 would send it along; few trackers need it).
 *
 * <p>Runs on the calling thread (the announcer's), one {@link UdpExchange}, so one socket, per
 * call. The connection id is kept between calls for a minute, as BEP 15 allows; calls from
 * several threads share it under a lock that is never held across I/O.
 */
final class UdpTracker implements Tracker {

    /** BEP 15: a client may use a connection id for one minute after it got it. */
    static final Duration CONNECTION_ID_LIFETIME = Duration.ofMinutes(1);

    /** The budget of a call without one: the retransmission schedule decides when to give up. */
    private static final Duration NO_BUDGET = Duration.ofDays(1);

    private final String url;
    private final String host;
    private final int port;
    private final Trackers.Config config;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom(); // transaction ids an off-path attacker cannot guess

    private final ReentrantLock lock = new ReentrantLock();
    private long connectionId; // guarded by lock
    private Instant connectedAt; // guarded by lock; null while we have no connection id

    /** {@code announce} must be a {@code udp://host:port} URI; see {@link Trackers#forUrl}. */
    UdpTracker(URI announce, Trackers.Config config) {
        this(announce, config, InstantSource.system());
    }

    UdpTracker(URI announce, Trackers.Config config, InstantSource clock) {
        String text = announce.toString();
        int hash = text.indexOf('#');
        this.url = hash < 0 ? text : text.substring(0, hash);
        this.host = announce.getHost();
        this.port = announce.getPort();
        this.config = config;
        this.clock = clock;
        if (host == null || port <= 0 || port > 65535) {
            throw new IllegalArgumentException("not a udp://host:port URL: " + url);
        }
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws IOException {
        return announce(request, NO_BUDGET);
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request, Duration budget) throws IOException {
        InetSocketAddress tracker = resolve();
        try (UdpExchange exchange = UdpExchange.open(url, tracker, config, budget)) {
            int minBody = UdpPackets.ANNOUNCE_REPLY_HEADER - UdpPackets.REPLY_HEADER;
            ByteBuffer body = askConnected(exchange, UdpPackets.ANNOUNCE, minBody,
                    (id, tx) -> UdpPackets.announceRequest(id, tx, request));
            // <interval 4><leechers 4><seeders 4><peers>
            long interval = Integer.toUnsignedLong(body.getInt());
            int leechers = body.getInt();
            int seeders = body.getInt();
            byte[] packed = new byte[body.remaining()];
            body.get(packed);
            // BEP 15: the peers are of the family the announce went over
            List<InetSocketAddress> peers = tracker.getAddress() instanceof Inet6Address
                    ? CompactPeers.decodeIpv6(packed) : CompactPeers.decodeIpv4(packed);
            return new AnnounceResponse(Duration.ofSeconds(interval), Optional.empty(), Optional.empty(),
                    count(seeders), count(leechers), peers.stream().distinct().toList(), Optional.empty(), Optional.empty());
        }
    }

    @Override
    public ScrapeResponse scrape(InfoHash infoHash) throws IOException {
        try (UdpExchange exchange = UdpExchange.open(url, resolve(), config, NO_BUDGET)) {
            ByteBuffer body = askConnected(exchange, UdpPackets.SCRAPE, UdpPackets.SCRAPE_ENTRY,
                    (id, tx) -> UdpPackets.scrapeRequest(id, tx, List.of(infoHash)));
            int seeders = body.getInt(); // <seeders 4><completed 4><leechers 4>
            int completed = body.getInt();
            int leechers = body.getInt();
            return new ScrapeResponse(seeders, leechers, completed);
        }
    }

    /** Makes a request packet from a connection id and a transaction id. */
    @FunctionalInterface
    private interface Request {
        byte[] packet(long connectionId, int transactionId);
    }

    /**
     * Asks with a connection id, connecting first when we have none or it is older than a minute
     * (checked again before each resend: with long timeouts one can expire while we wait). A
     * tracker that does not know our id answers with an error about it: we connect once more.
     */
    private ByteBuffer askConnected(UdpExchange exchange, int action, int minBody, Request request) throws IOException {
        for (int attempt = 1;; attempt++) {
            int transactionId = random.nextInt();
            UdpExchange.Answer answer = exchange.ask(action, transactionId, minBody,
                    () -> request.packet(connectionId(exchange), transactionId));
            if (answer.action() == action) {
                return answer.body();
            }
            String words = trackerWords(answer.body());
            if (attempt == 1 && words.toLowerCase(Locale.ROOT).contains("connection")) {
                forgetConnectionId();
                continue;
            }
            throw refusal(words);
        }
    }

    /** The cached connection id while it is young enough, else a new one from a connect exchange. */
    private long connectionId(UdpExchange exchange) throws IOException {
        lock.lock();
        try {
            if (connectedAt != null && clock.instant().isBefore(connectedAt.plus(CONNECTION_ID_LIFETIME))) {
                return connectionId;
            }
        } finally {
            lock.unlock();
        }
        Instant asked = clock.instant(); // the minute runs from the request: the tracker may count from its answer
        int transactionId = random.nextInt();
        UdpExchange.Answer answer = exchange.ask(UdpPackets.CONNECT, transactionId,
                UdpPackets.CONNECT_REPLY - UdpPackets.REPLY_HEADER, () -> UdpPackets.connectRequest(transactionId));
        if (answer.action() == UdpPackets.ERROR) {
            throw refusal(trackerWords(answer.body()));
        }
        long id = answer.body().getLong();
        lock.lock();
        try {
            connectionId = id;
            connectedAt = asked;
        } finally {
            lock.unlock();
        }
        return id;
    }

    private void forgetConnectionId() {
        lock.lock();
        try {
            connectedAt = null;
        } finally {
            lock.unlock();
        }
    }

    /** Resolved on each call, so a tracker that moves is found again (the JDK caches lookups). */
    private InetSocketAddress resolve() throws IOException {
        return new InetSocketAddress(HostLookup.SYSTEM.resolve(host, config.connectTimeout()), port);
    }

    /** An error packet's message, made safe to log and show (some trackers end it with a NUL, as in C). */
    private static String trackerWords(ByteBuffer body) {
        int length = body.remaining();
        while (length > 0 && body.get(body.position() + length - 1) == 0) {
            length--;
        }
        byte[] text = new byte[length];
        body.get(text);
        return HttpReplyParser.printablePrefix(text);
    }

    private TrackerException refusal(String words) {
        return new TrackerException("udp tracker " + url + " refused: " + words);
    }

    private static OptionalInt count(int value) {
        return value >= 0 ? OptionalInt.of(value) : OptionalInt.empty();
    }
}
