package pyto.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client of Transmission's remote-control protocol: what {@code pyto remote} speaks, to a
 * pyto daemon or to a Transmission daemon alike. It answers the CSRF challenge (a 409 carries
 * the session id to send; the request is sent again with it) and sends HTTP Basic credentials
 * when it has some. Replies are read with the same strict {@link JsonReader} as requests are on
 * the daemon's side, at most {@value #MAX_REPLY_BYTES} bytes.
 *
 * <p>Thread-safe: the JDK's client is, and a lock guards the session id.
 */
public final class RpcClient {

    static final int MAX_REPLY_BYTES = 64 << 20;

    private final URI uri;
    private final Optional<String> authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private String sessionId = ""; // guarded by lock

    /** @param credentials {@code user:password}, or empty for a daemon without authentication */
    public RpcClient(URI uri, Optional<String> credentials, Duration timeout) {
        this.uri = uri;
        this.authorization = credentials.map(c -> "Basic "
                + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8)));
        this.timeout = timeout;
    }

    public URI uri() {
        return uri;
    }

    /**
     * Calls {@code method}; the reply's arguments on success.
     *
     * @throws RpcException when the daemon's result is not "success" (its message), or it
     *         refused the request (a wrong password, a host it does not answer to)
     * @throws IOException when it cannot be reached, or does not speak the protocol
     */
    public Json.Obj call(String method, Json.Obj arguments) throws IOException, InterruptedException, RpcException {
        byte[] body = JsonWriter.utf8(Json.object().put("method", method).put("arguments", arguments).build());
        Bounded reply = post(body);
        if (reply.statusCode() == 409) {
            String id = reply.headers().firstValue(RequestGuard.SESSION_ID_HEADER)
                    .orElseThrow(() -> new IOException(uri + " answered 409 without a session id"));
            lock.lock();
            try {
                sessionId = id;
            } finally {
                lock.unlock();
            }
            reply = post(body);
        }
        switch (reply.statusCode()) {
            case 200 -> { }
            case 401 -> throw new RpcException(uri + " wants another user name or password (401)");
            case 421 -> throw new RpcException(uri + " does not answer to this host name (421): start the daemon with --rpc-host");
            case 429 -> throw new RpcException(uri + ": too many wrong passwords from here; try again later (429)");
            default -> throw new IOException(uri + " answered HTTP " + reply.statusCode() + ": "
                    + new String(reply.body(), 0, Math.min(200, reply.body().length), StandardCharsets.UTF_8).strip());
        }
        if (reply.body().length > MAX_REPLY_BYTES) {
            throw new IOException(uri + " sent a reply larger than " + MAX_REPLY_BYTES + " bytes");
        }
        Json json;
        try {
            json = JsonReader.read(reply.body());
        } catch (JsonException e) {
            throw new IOException(uri + " did not answer in JSON: " + e.getMessage());
        }
        if (!(json instanceof Json.Obj o) || !(o.get("result").orElse(Json.NULL) instanceof Json.Str result)) {
            throw new IOException(uri + " sent a reply without a result");
        }
        if (!result.value().equals("success")) {
            throw new RpcException(result.value());
        }
        return o.get("arguments").orElse(Json.object().build()) instanceof Json.Obj args ? args : Json.object().build();
    }

    /** A reply read into memory, at most one byte more than the limit. */
    private record Bounded(int statusCode, HttpHeaders headers, byte[] body) {
    }

    private Bounded post(byte[] body) throws IOException, InterruptedException {
        String id;
        lock.lock();
        try {
            id = sessionId;
        } finally {
            lock.unlock();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!id.isEmpty()) {
            request.header(RequestGuard.SESSION_ID_HEADER, id);
        }
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<InputStream> reply;
        try {
            reply = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new IOException("cannot connect to " + uri + " (is the daemon running?)", e);
        }
        try (InputStream in = reply.body()) {
            byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1); // one more tells a reply too large
            return new Bounded(reply.statusCode(), reply.headers(), bytes);
        }
    }
}
