package pyto.daemon;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import pyto.tracker.IpLiteral;

/**
 * Every rule a request to the remote control must pass, checked in one visible order, before
 * anything else looks at it (Transmission's {@code rpc-server} does the same in one place):
 *
 * <ol>
 *   <li><b>Host</b>: localhost, an IP literal, or a name given with {@code --rpc-host};
 *       anything else is 421, whatever the credentials. A web page on a name the attacker
 *       controls, re-pointed at 127.0.0.1 (DNS rebinding, Transmission's CVE-2018-5702), sends
 *       its own name here.</li>
 *   <li><b>Origin</b>: when a browser says which page sent the request, it must be this very
 *       host: 403 otherwise. No CORS header is ever sent, so no other page reads a reply.</li>
 *   <li><b>Password</b>: HTTP Basic, compared in constant time; 401 without the right one.
 *       Wrong ones are slowed and then refused per address ({@link AuthFailures}): 429.</li>
 *   <li><b>CSRF</b> (the RPC only): the {@code X-Transmission-Session-Id} header must carry the
 *       daemon's session id; 409 with the id otherwise, as Transmission's clients expect.</li>
 *   <li><b>Method</b>: POST for the RPC, GET for the page; 405 otherwise.</li>
 * </ol>
 *
 * Connection threads call it at once; its parts are thread-safe.
 */
final class RequestGuard {

    static final String RPC_PATH = "/transmission/rpc";
    static final String SESSION_ID_HEADER = "X-Transmission-Session-Id";
    /** What a wrong password costs the connection that sent it, besides the count. */
    static final Duration WRONG_PASSWORD_DELAY = Duration.ofMillis(200);

    private final byte[] credentialsHash; // SHA-256 of "user:password": compared in constant time
    private final Set<String> hostNames;  // lower case
    private final String sessionId;
    private final AuthFailures failures;

    /**
     * @param hostNames names besides localhost and IP literals that clients may call the daemon by
     * @param sessionId the CSRF token, random, for the daemon's life
     */
    RequestGuard(String user, String password, Set<String> hostNames, String sessionId, LongSupplier nanoTime) {
        this.credentialsHash = sha256(user + ":" + password);
        this.hostNames = hostNames.stream().map(RequestGuard::hostKey).collect(java.util.stream.Collectors.toSet());
        this.sessionId = sessionId;
        this.failures = new AuthFailures(nanoTime);
    }

    String sessionId() {
        return sessionId;
    }

    static boolean isRpc(String path) {
        return path.equals(RPC_PATH) || path.equals(RPC_PATH + "/");
    }

    /** The refusal for {@code head}, or empty when it passes every rule. */
    Optional<HttpResponse> check(HttpRequest head) {
        Optional<String> host = head.header("host");
        if (host.isEmpty() || !allowedHost(host.get())) {
            return refuse(421, "this daemon does not answer to that host name; start it with --rpc-host NAME to allow one");
        }
        Optional<String> origin = head.header("origin");
        if (origin.isPresent() && !sameOrigin(origin.get(), host.get())) {
            return refuse(403, "requests from other web pages are refused");
        }
        Optional<Duration> wait = failures.waitFor(head.remote());
        if (wait.isPresent()) {
            return Optional.of(HttpResponse.text(429, "too many wrong passwords: try again later")
                    .withHeader("Retry-After", Long.toString(Math.max(1, wait.get().toSeconds()))));
        }
        if (!rightPassword(head.header("authorization"))) {
            if (head.header("authorization").isPresent()) {
                failures.failed(head.remote());
                sleep(WRONG_PASSWORD_DELAY);
            }
            return Optional.of(HttpResponse.text(401, "401 Unauthorized: a user name and password are needed (pyto remote reads them itself)")
                    .withHeader("WWW-Authenticate", "Basic realm=\"pyto\", charset=\"UTF-8\""));
        }
        failures.succeeded(head.remote());
        boolean rpc = isRpc(head.path());
        if (rpc && !head.header("x-transmission-session-id").filter(this::rightSessionId).isPresent()) {
            return Optional.of(HttpResponse.text(409, "send the " + SESSION_ID_HEADER + " header this reply carries")
                    .withHeader(SESSION_ID_HEADER, sessionId));
        }
        String allowed = rpc ? "POST" : "GET";
        if (!head.method().equals(allowed)) {
            return Optional.of(HttpResponse.text(405, "only " + allowed + " here").withHeader("Allow", allowed));
        }
        return Optional.empty();
    }

    private static Optional<HttpResponse> refuse(int status, String message) {
        return Optional.of(HttpResponse.text(status, message));
    }

    /** localhost, an IP literal, or a name we were told about; with or without a port. */
    boolean allowedHost(String hostHeader) {
        String host = hostOf(hostHeader);
        if (host == null) {
            return false;
        }
        return host.equals("localhost") || IpLiteral.parse(host).isPresent() || hostNames.contains(host);
    }

    /** The host part of a Host header, lower case, without a trailing dot; null if malformed. */
    static String hostOf(String hostHeader) {
        String h = hostHeader.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0 || !(end == h.length() - 1 || h.substring(end + 1).matches(":[0-9]{1,5}"))) {
                return null;
            }
            return h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!h.substring(colon).matches(":[0-9]{1,5}")) {
                return null;
            }
            h = h.substring(0, colon);
        }
        return h.isEmpty() ? null : hostKey(h);
    }

    private static String hostKey(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Whether a browser's Origin ({@code http://host[:port]}) names the host the request went to. */
    static boolean sameOrigin(String origin, String hostHeader) {
        try {
            URI uri = new URI(origin);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return false;
            }
            return uri.getRawAuthority().equalsIgnoreCase(hostHeader.strip());
        } catch (URISyntaxException e) {
            return false; // "null", for one: a sandboxed or file:// page
        }
    }

    private boolean rightPassword(Optional<String> authorization) {
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.get().substring(6).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(new String(decoded, StandardCharsets.UTF_8)), credentialsHash);
    }

    private boolean rightSessionId(String given) {
        return MessageDigest.isEqual(sha256(given), sha256(sessionId));
    }

    /** Hashing both sides first makes the comparison's time independent of the lengths too. */
    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
