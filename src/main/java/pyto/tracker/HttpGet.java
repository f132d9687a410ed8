package pyto.tracker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking HTTP/1.1 client that does one thing: GET a URL and return the body (RFC 9112).
 * Tracker replies are small and the requests are simple, so a plain {@link Socket} (an
 * {@link SSLSocket} for https) and a page of parsing are easier to read and to bound than
 * {@code java.net.http.HttpClient}, which brings its own threads and little control over how much
 * a hostile server may send.
 *
 * <p>Every request sends {@code Connection: close} and reads one reply ({@link HttpReplyReader}
 * frames it, never beyond the configured cap). Redirects are followed up to
 * {@value #MAX_REDIRECTS} times. Every blocking step has a timeout (the DNS lookup through
 * {@link HostLookup}, the connect, each read), and the whole exchange (redirects included)
 * must end before a deadline.
 *
 * <p>Runs on the calling thread, normally an announcer's virtual thread; an interrupt closes
 * the socket and ends the call.
 */
final class HttpGet {

    static final int MAX_REDIRECTS = 5;

    /** A final (not redirecting) reply. */
    record Reply(int status, String statusLine, byte[] body) {
    }

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final HttpReplyReader reader;
    private final HostLookup lookup;

    HttpGet(Duration connectTimeout, Duration readTimeout, int maxBodyBytes) {
        this(connectTimeout, readTimeout, maxBodyBytes, HostLookup.SYSTEM);
    }

    /** @param lookup how host names are looked up; tests pass one that never answers */
    HttpGet(Duration connectTimeout, Duration readTimeout, int maxBodyBytes, HostLookup lookup) {
        this.lookup = lookup;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.reader = new HttpReplyReader(maxBodyBytes);
    }

    /** GETs {@code uri}, following redirects; any final status is returned, the caller judges it. */
    Reply get(URI uri, Instant deadline) throws IOException {
        List<URI> visited = new ArrayList<>();
        URI current = uri;
        while (true) {
            visited.add(current);
            try (Socket socket = connect(current, deadline)) {
                InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline, readTimeout));
                send(socket.getOutputStream(), current);
                HttpReplyReader.Head head = HttpReplyReader.readHead(in);
                if (!isRedirect(head.status())) {
                    return new Reply(head.status(), head.statusLine(), reader.readBody(in, head.headers()));
                }
                current = redirectTarget(current, head, visited);
            }
        }
    }

    private URI redirectTarget(URI from, HttpReplyReader.Head head, List<URI> visited) throws TrackerException {
        String location = head.headers().get("location");
        if (location == null) {
            throw new TrackerException("tracker answered " + head.statusLine() + " without a Location");
        }
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new TrackerException("tracker redirected to a malformed URL: " + location);
        }
        if (visited.contains(next)) {
            throw new TrackerException("redirect loop: " + chain(visited) + " -> " + next);
        }
        if (visited.size() > MAX_REDIRECTS) {
            throw new TrackerException("more than " + MAX_REDIRECTS + " redirects: " + chain(visited));
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TrackerException("tracker redirected to a non-HTTP URL: " + next);
        }
        return next;
    }

    private static String chain(List<URI> visited) {
        return String.join(" -> ", visited.stream().map(URI::toString).toList());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private Socket connect(URI uri, Instant deadline) throws IOException {
        String host = uri.getHost();
        if (host == null) {
            throw new TrackerException("no host in " + uri);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        Duration lookupTimeout = Duration.ofMillis(DeadlineInputStream.millis(connectTimeout, deadline));
        InetSocketAddress address = new InetSocketAddress(lookup.resolve(bareHost, lookupTimeout), port);
        Socket socket = new Socket();
        try {
            socket.connect(address, DeadlineInputStream.millis(connectTimeout, deadline));
            if (!https) {
                return socket;
            }
            SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
            SSLSocket tls = (SSLSocket) factory.createSocket(socket, bareHost, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(DeadlineInputStream.millis(readTimeout, deadline));
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void send(OutputStream out, URI uri) throws IOException {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String hostHeader = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: pyto\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
