package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The guard's rules one by one, without sockets, on a clock the test moves: which hosts pass,
 * which origins, how the wait after wrong passwords grows and ends, and the order of the checks
 * (a wrong host is 421 whatever else is wrong).
 */
class RequestGuardTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RequestGuard guard = new RequestGuard("pyto", "pw", Set.of("Box.Example."), "sid", now::get);
    private final InetAddress client = InetAddress.getLoopbackAddress();

    private HttpRequest request(String method, String path, String... headers) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(Map.entry(headers[i], headers[i + 1]));
        }
        return new HttpRequest(method, path, "HTTP/1.1", h, new byte[0], client);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private int status(String password) {
        return guard.check(request("POST", "/transmission/rpc", "host", "localhost", "authorization", basic("pyto:" + password),
                "x-transmission-session-id", "sid")).map(HttpResponse::status).orElse(200);
    }

    @Test
    void hosts() {
        assertThat(guard.allowedHost("localhost:9091")).isTrue();
        assertThat(guard.allowedHost("LOCALHOST")).isTrue();
        assertThat(guard.allowedHost("192.168.1.20:9091")).isTrue();
        assertThat(guard.allowedHost("[fe80::1]:9091")).isTrue();
        assertThat(guard.allowedHost("box.example:9091")).as("a --rpc-host name, any case, trailing dot or not").isTrue();
        assertThat(guard.allowedHost("attacker.example")).isFalse();
        assertThat(guard.allowedHost("box.example.attacker.example")).isFalse();
        assertThat(guard.allowedHost("0x7f.1")).as("not a literal the strict parser reads").isFalse();
        assertThat(guard.allowedHost("192.168.1.20:99999x")).isFalse();
    }

    @Test
    void origins() {
        assertThat(RequestGuard.sameOrigin("http://127.0.0.1:9091", "127.0.0.1:9091")).isTrue();
        assertThat(RequestGuard.sameOrigin("http://LOCALHOST:9091", "localhost:9091")).isTrue();
        assertThat(RequestGuard.sameOrigin("http://127.0.0.1:9092", "127.0.0.1:9091")).isFalse();
        assertThat(RequestGuard.sameOrigin("http://127.0.0.1:9091/page", "127.0.0.1:9091")).isFalse();
        assertThat(RequestGuard.sameOrigin("https://127.0.0.1:9091", "127.0.0.1:9091")).isFalse();
        assertThat(RequestGuard.sameOrigin("null", "127.0.0.1:9091")).isFalse();
    }

    @Test
    void theChecksComeInOrder() {
        HttpRequest everythingWrong = request("GET", "/transmission/rpc", "host", "evil.example", "origin", "http://x",
                "authorization", basic("pyto:no"));
        assertThat(guard.check(everythingWrong).orElseThrow().status()).isEqualTo(421);
        assertThat(guard.check(request("GET", "/transmission/rpc", "host", "localhost", "origin", "http://x"))
                .orElseThrow().status()).isEqualTo(403);
        assertThat(guard.check(request("GET", "/transmission/rpc", "host", "localhost")).orElseThrow().status())
                .isEqualTo(401);
        assertThat(guard.check(request("GET", "/transmission/rpc", "host", "localhost", "authorization", basic("pyto:pw")))
                .orElseThrow().status()).isEqualTo(409);
        assertThat(guard.check(request("GET", "/transmission/rpc", "host", "localhost", "authorization", basic("pyto:pw"),
                "x-transmission-session-id", "sid")).orElseThrow().status()).isEqualTo(405);
        assertThat(guard.check(request("POST", "/transmission/rpc/", "host", "localhost", "authorization", basic("pyto:pw"),
                "x-transmission-session-id", "sid"))).isEmpty();
        assertThat(guard.check(request("GET", "/", "host", "localhost", "authorization", basic("pyto:pw"))))
                .as("the page needs no session id").isEmpty();
        assertThat(guard.check(request("GET", "/", "host", "localhost", "authorization", basic("other:pw"))))
                .as("the user name counts too").map(HttpResponse::status).contains(401);
    }

    @Test
    void wrongPasswordsAreSlowedThenRefusedForAWhileAndARightOneClearsTheCount() {
        for (int i = 0; i < AuthFailures.FREE_TRIES; i++) {
            assertThat(status("wrong")).isEqualTo(401);
        }
        assertThat(status("pw")).as("must wait a second now").isEqualTo(429);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(status("pw")).as("then may try, and the right one clears the count").isEqualTo(200);
        assertThat(status("wrong")).isEqualTo(401);
        assertThat(status("wrong")).as("counting from zero again: no wait").isEqualTo(401);

        for (int i = 2; i < AuthFailures.LOCKOUT_TRIES; i++) {
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            assertThat(status("wrong")).isEqualTo(401);
        }
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(status("pw")).as("locked out").isEqualTo(429);
        now.addAndGet(AuthFailures.LOCKOUT.toNanos());
        assertThat(status("pw")).as("forgotten after the lockout").isEqualTo(200);
    }

    @Test
    void theWaitGrows() {
        assertThat(AuthFailures.penalty(1)).isZero();
        assertThat(AuthFailures.penalty(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(AuthFailures.penalty(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(AuthFailures.penalty(9)).isEqualTo(Duration.ofSeconds(60));
        assertThat(AuthFailures.penalty(10)).isEqualTo(AuthFailures.LOCKOUT);
        assertThat(Optional.of(guard.sessionId())).contains("sid");
    }
}
