package pyto.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import pyto.concurrent.Acceptor;
import pyto.concurrent.Scope;

/**
 * A small blocking HTTP/1.1 server (RFC 9112) for the daemon's remote control and web page:
 * one virtual thread accepts, one more serves each connection, all in the server's own
 * {@link Scope} through an {@link Acceptor}, which caps the connections served at once (the others wait in
 * the listen backlog), as the embedded tracker does.
 *
 * <p>Everything a client sends is bounded: the request line and headers
 * ({@link HttpRequest#MAX_HEAD_BYTES}, and {@code headTimeout} to send them), the body
 * ({@code maxBodyBytes} and {@code bodyTimeout}; only with a Content-Length, never chunked).
 * The handler sees each request twice: its head first ({@link Handler#early}), so that a
 * refused request never has its body read, then the whole request. Every malformed request
 * gets a plain-text error reply and the connection is closed; a handler's bug gets a 500,
 * never a stack trace on the wire. Connections are kept alive between requests.
 *
 * <p>Every reply carries the same security headers: no sniffing, no referrer, no framing, a
 * content security policy that allows nothing but this origin's own files (no inline script),
 * and never any CORS header.
 */
public final class HttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    /** Requests one connection may carry before it is closed. */
    static final int MAX_REQUESTS_PER_CONNECTION = 1000;
    /** A refused request's body up to this size is read and dropped, so the connection can go on. */
    static final int MAX_DRAINED_BYTES = 64 * 1024;

    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    /** What the server asks of whoever answers the requests; called on connection threads, at once. */
    public interface Handler {
        /** A reply to send before the body is read (a refusal), or empty to read it and go on. */
        Optional<HttpResponse> early(HttpRequest head);

        /** The reply to a whole request. */
        HttpResponse handle(HttpRequest request);
    }

    /**
     * @param maxConnections connections served at once
     * @param maxBodyBytes   the largest body read (16 MiB: a large .torrent in base64)
     * @param headTimeout    time to send a request line and headers (and the idle time between requests)
     * @param bodyTimeout    time to send a body
     */
    public record Config(int maxConnections, int maxBodyBytes, Duration headTimeout, Duration bodyTimeout) {
        public static final Config DEFAULTS = new Config(32, 16 << 20, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    private final ServerSocket listener;
    private final Config config;
    private final Handler handler;
    private final Scope scope = new Scope("http");

    private HttpServer(ServerSocket listener, Config config, Handler handler) {
        this.listener = listener;
        this.config = config;
        this.handler = handler;
    }

    /** Binds {@code bind} (port 0 picks a free port) and starts serving. */
    public static HttpServer start(InetSocketAddress bind, Config config, Handler handler) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(bind, 64);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        HttpServer server = new HttpServer(listener, config, handler);
        server.scope.fork("http accept", new Acceptor(listener, server.scope, "remote-control connections",
                config.maxConnections(), Acceptor.WhenFull.WAIT, server::serve)::run);
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Stops accepting, ends every connection and waits for their threads. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closed either way
        }
        scope.close();
    }


    private void serve(Socket connection) {
        try (connection) {
            Timed timed = new Timed(connection);
            InputStream in = new BufferedInputStream(timed);
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            for (int n = 0; n < MAX_REQUESTS_PER_CONNECTION; n++) {
                timed.deadline(config.headTimeout());
                HttpRequest head;
                try {
                    head = HttpRequest.readHead(in, connection.getInetAddress());
                } catch (HttpRequest.BadRequest e) {
                    send(out, HttpResponse.text(e.status(), e.getMessage()), false);
                    lingeringClose(connection, in);
                    return;
                } catch (SocketTimeoutException e) {
                    return; // idle or too slow: nothing useful to say to it
                }
                if (head == null || !exchange(head, in, timed, out)) {
                    lingeringClose(connection, in);
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "rpc connection {0}: {1}", connection.getRemoteSocketAddress(), e.toString());
        }
    }

    /** Answers one request; whether the connection can carry another. */
    private boolean exchange(HttpRequest head, InputStream in, Timed timed, OutputStream out) throws IOException {
        boolean keepAlive = head.keepAlive();
        if (head.header("transfer-encoding").isPresent()) {
            send(out, HttpResponse.text(501, "chunked and other transfer codings are not supported: send a Content-Length"), false);
            return false;
        }
        long length;
        String lengthText = head.header("content-length").orElse("0");
        if (!lengthText.matches("[0-9]{1,12}")) {
            send(out, HttpResponse.text(400, "a bad Content-Length"), false);
            return false;
        }
        length = Long.parseLong(lengthText);
        Optional<HttpResponse> early = safely(() -> handler.early(head));
        if (early.isPresent()) {
            boolean drained = length <= MAX_DRAINED_BYTES && skip(in, timed, length);
            send(out, early.get(), keepAlive && drained);
            return keepAlive && drained;
        }
        if (length > config.maxBodyBytes()) {
            send(out, HttpResponse.text(413, "the body is larger than " + config.maxBodyBytes() + " bytes"), false);
            return false;
        }
        if (length > 0 && head.header("expect").filter(e -> e.equalsIgnoreCase("100-continue")).isPresent()) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        timed.deadline(config.bodyTimeout());
        byte[] body;
        try {
            body = in.readNBytes((int) length);
        } catch (SocketTimeoutException e) {
            send(out, HttpResponse.text(408, "the body did not arrive in time"), false);
            return false;
        }
        if (body.length < length) {
            return false; // the client went away mid-body
        }
        HttpResponse reply = safely(() -> Optional.of(handler.handle(head.withBody(body)))).orElseThrow();
        send(out, reply, keepAlive);
        return keepAlive;
    }

    /** Runs a handler call; a bug in it is a 500 reply and a log line, never a stack trace on the wire. */
    private static Optional<HttpResponse> safely(Supplier<Optional<HttpResponse>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "rpc handler failed: " + e, e);
            return Optional.of(HttpResponse.text(500, "internal error"));
        }
    }

    private boolean skip(InputStream in, Timed timed, long length) throws IOException {
        timed.deadline(config.headTimeout());
        try {
            in.skipNBytes(length);
            return true;
        } catch (SocketTimeoutException | EOFException e) {
            return false;
        }
    }

    private static void send(OutputStream out, HttpResponse reply, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(' ')
                .append(HttpResponse.reason(reply.status())).append("\r\n");
        SECURITY_HEADERS.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Cache-Control: no-store\r\n");
        reply.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        head.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(reply.body());
        out.flush();
    }

    /**
     * Closing a socket with unread input makes TCP reset the connection, and the client may lose
     * the reply it has not read yet; so end our side first, then read (and drop) what the client
     * still sends, briefly, before closing (as the tracker does).
     */
    private static void lingeringClose(Socket connection, InputStream in) {
        try {
            connection.shutdownOutput();
            connection.setSoTimeout(500);
            long drained = 0;
            while (drained < MAX_DRAINED_BYTES && in.read() >= 0) {
                drained++;
            }
        } catch (IOException ignored) {
            // the socket closes next anyway
        }
    }


    /**
     * A socket's input with a deadline that can be moved for each request: the socket timeout
     * is set before every read to the time left, so a client that sends one byte a second
     * cannot hold a connection past the deadline.
     */
    private static final class Timed extends FilterInputStream {
        private final Socket socket;
        private long deadlineNanos;

        Timed(Socket socket) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
        }

        void deadline(Duration fromNow) {
            deadlineNanos = System.nanoTime() + fromNow.toNanos();
        }

        private void arm() throws IOException {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }
    }
}
