package pyto.dht;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import pyto.dht.KrpcMessage.Error;
import pyto.dht.KrpcMessage.Query;
import pyto.dht.KrpcMessage.Response;

/**
 * The node's UDP socket and the two virtual threads that use it (BEP 5's KRPC over UDP).
 *
 * <p>The reader thread ({@link #readLoop}) takes one datagram at a time: it drops what is too
 * long or comes from port 0, decodes the rest, answers junk queries with an error (203, or 204
 * for an unknown method), holds queries to the per-source rate limit, and hands good queries
 * and all replies to the {@link Handler}. It sends answers itself, at once, within the global
 * cap: a reply over the cap is dropped.
 *
 * <p>Our own queries come from any thread (lookups run on their callers' threads) and go
 * through a bounded queue to the sender thread ({@link #sendLoop}), which waits for the global
 * cap rather than dropping them. Why a thread of its own: a virtual thread interrupted while it
 * sends on a socket closes that socket, and lookups are stopped by interrupting them; the
 * socket must only ever be touched by the node's own threads.
 */
final class KrpcSocket implements AutoCloseable {

    /** What the node does with what arrives; called on the reader thread. */
    interface Handler {
        /** A well-formed query within the rate limit: returns the answer (a response or an error). */
        KrpcMessage onQuery(Query query, InetSocketAddress from);

        void onResponse(Response response, InetSocketAddress from);

        void onError(Error error, InetSocketAddress from);
    }

    private static final System.Logger LOG = System.getLogger(KrpcSocket.class.getName());
    private static final int OUTBOX = 1024;

    private record Outgoing(KrpcMessage message, InetSocketAddress to) {
    }

    private final DatagramSocket socket;
    private final RateLimiter limiter;
    private final DhtTrace trace;
    private final Traffic traffic;
    private final BlockingQueue<Outgoing> outbox = new ArrayBlockingQueue<>(OUTBOX);

    private KrpcSocket(DatagramSocket socket, RateLimiter limiter, DhtTrace trace, Traffic traffic) {
        this.socket = socket;
        this.limiter = limiter;
        this.trace = trace;
        this.traffic = traffic;
    }

    static KrpcSocket bind(InetSocketAddress address, RateLimiter limiter, DhtTrace trace, Traffic traffic)
            throws IOException {
        return new KrpcSocket(new DatagramSocket(address), limiter, trace, traffic);
    }

    int port() {
        return socket.getLocalPort();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Reads and dispatches datagrams until the socket is closed. Runs on the reader thread. */
    void readLoop(Handler handler) {
        byte[] buffer = new byte[KrpcCodec.MAX_PACKET + 1]; // one byte more: a datagram that fills it is too long
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(System.Logger.Level.DEBUG, "DHT receive failed: " + e);
                }
                continue;
            }
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            if (from.getPort() == 0) {
                traffic.dropped.incrementAndGet(); // nobody can answer to port 0: a forged source
                continue;
            }
            try {
                dispatch(Arrays.copyOf(buffer, packet.getLength()), from, handler);
            } catch (RuntimeException e) {
                // a bug of ours must not take the node down with it
                LOG.log(System.Logger.Level.WARNING, "DHT: a message from " + from + " failed: " + e, e);
            }
        }
    }

    private void dispatch(byte[] datagram, InetSocketAddress from, Handler handler) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            traffic.dropped.incrementAndGet();
            trace.junk(from, e.getMessage());
            if (e.isQuery() && e.tid().isPresent() && limiter.allowFrom(from)) {
                reply(new Error(e.tid().get(), e.code(), e.getMessage()), from);
            }
            return;
        }
        trace.message(from, false, message);
        switch (message) {
            case Query q -> {
                if (!limiter.allowFrom(from)) {
                    traffic.dropped.incrementAndGet();
                    return;
                }
                traffic.queriesIn.incrementAndGet();
                reply(handler.onQuery(q, from), from);
            }
            case Response r -> handler.onResponse(r, from);
            case Error e -> handler.onError(e, from);
        }
    }

    /** Sends an answer now, within the global cap. Reader thread only. */
    private void reply(KrpcMessage answer, InetSocketAddress to) {
        if (!limiter.allowSend()) {
            traffic.dropped.incrementAndGet();
            return;
        }
        transmit(answer, to);
    }

    /**
     * Queues a query of ours for the sender thread. Any thread; never blocks.
     *
     * @return false when the queue is full or the socket closed: the query is not sent
     */
    boolean send(Query query, InetSocketAddress to) {
        return !socket.isClosed() && outbox.offer(new Outgoing(query, to));
    }

    /** Sends queued queries until interrupted, each when the global cap allows. Runs on the sender thread. */
    void sendLoop() throws InterruptedException {
        while (!socket.isClosed()) {
            Outgoing next = outbox.take();
            long wait = limiter.reserveSend();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            if (transmit(next.message(), next.to())) {
                traffic.queriesOut.incrementAndGet();
            }
        }
    }

    private boolean transmit(KrpcMessage message, InetSocketAddress to) {
        byte[] bytes = KrpcCodec.encode(message);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
            trace.message(to, true, message);
            return true;
        } catch (IOException e) {
            if (!socket.isClosed()) {
                LOG.log(System.Logger.Level.DEBUG, "DHT send to " + to + " failed: " + e);
            }
            return false;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
