package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule of the remote control's door, against a running daemon over real sockets: the
 * Host allow-list (421, whatever the credentials), the Origin, the password (401, then 429
 * after several wrong ones), the CSRF session id (409 with the id), the method, the bounds on
 * what a client may send, and the headers every reply carries (and the CORS ones none does).
 */
class DaemonSecurityTest {

    private static final String RIGHT = "Basic " + Base64.getEncoder()
            .encodeToString(("pyto:" + DaemonFixture.PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final String GET_TORRENTS = "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"]}}";

    @TempDir
    Path dir;
    DaemonFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 50_000);
        fixture.startDaemon(fixture.config().withHttp(
                new HttpServer.Config(8, 1 << 20, Duration.ofSeconds(2), Duration.ofSeconds(2))));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aRightRequestGetsItsAnswer() throws Exception {
        DaemonFixture.Raw r = fixture.raw(fixture.rpcRequest(GET_TORRENTS));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"arguments\":{\"torrents\":[]},\"result\":\"success\"}");
        assertThat(r.headers()).containsEntry("content-type", "application/json; charset=UTF-8");
    }

    @Test
    void aHostThatIsNotLocalhostAnIpOrAGivenNameGets421WhateverTheCredentials() throws Exception {
        for (String host : new String[] {"evil.example", "evil.example:9091", "localhost.evil.example", "127.0.0.1.nip.io",
                "", "a b", "[::1", "127.0.0.1:x"}) {
            assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Host", host)).status()).as(host).isEqualTo(421);
        }
        for (String host : new String[] {"localhost", "localhost:9091", "127.0.0.1", "127.0.0.1:1", "[::1]:9091",
                "10.1.2.3", "pyto.example", "PYTO.example:80"}) {
            assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Host", host)).status()).as(host).isEqualTo(200);
        }
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Host", null)).status()).as("no Host").isEqualTo(421);
    }

    @Test
    void anOriginThatIsNotThisHostIsRefused() throws Exception {
        String host = Daemon.hostPort(fixture.daemon.rpcAddress());
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Origin", "http://evil.example")).status()).isEqualTo(403);
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Origin", "null")).status()).isEqualTo(403);
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Origin", "https://" + host)).status()).isEqualTo(403);
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Origin", "http://" + host)).status()).isEqualTo(200);
    }

    @Test
    void noPasswordOrAWrongOneGets401ThenSeveralWrongOnesAreRefusedForAWhile() throws Exception {
        DaemonFixture.Raw none = fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Authorization", null));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().get("www-authenticate")).startsWith("Basic realm=");

        String wrong = "Basic " + Base64.getEncoder().encodeToString("pyto:guess".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < AuthFailures.FREE_TRIES; i++) {
            assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Authorization", wrong)).status()).isEqualTo(401);
        }
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Authorization", "Basic !!!")).status())
                .as("the next try, even a malformed one, must wait").isEqualTo(429);
        DaemonFixture.Raw refused = fixture.raw(fixture.rpcRequest(GET_TORRENTS, "Authorization", RIGHT));
        assertThat(refused.status()).as("even the right password must wait now").isEqualTo(429);
        assertThat(refused.headers()).containsKey("retry-after");
    }

    @Test
    void withoutTheSessionIdTheReplyIs409WithTheId() throws Exception {
        DaemonFixture.Raw r = fixture.raw(fixture.rpcRequest(GET_TORRENTS, "X-Transmission-Session-Id", null));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.headers().get("x-transmission-session-id")).isNotBlank();
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "X-Transmission-Session-Id", "stale")).status()).isEqualTo(409);
        assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS, "X-Transmission-Session-Id",
                r.headers().get("x-transmission-session-id"))).status()).isEqualTo(200);
    }

    @Test
    void theRpcTakesPostsOnlyAndThePageGetsOnly() throws Exception {
        String host = Daemon.hostPort(fixture.daemon.rpcAddress());
        DaemonFixture.Raw get = fixture.raw("GET /transmission/rpc HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: "
                + RIGHT + "\r\nX-Transmission-Session-Id: " + fixture.sessionId() + "\r\nConnection: close\r\n\r\n");
        assertThat(get.status()).isEqualTo(405);
        DaemonFixture.Raw post = fixture.raw("POST / HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + RIGHT
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(post.status()).isEqualTo(405);
    }

    @Test
    void thePageHasItsSecurityHeadersAndNothingElseOfTheJarIsReachable() throws Exception {
        String host = Daemon.hostPort(fixture.daemon.rpcAddress());
        DaemonFixture.Raw page = fixture.raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + RIGHT
                + "\r\nConnection: close\r\n\r\n");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().get("content-security-policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.headers()).containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "no-referrer");
        assertThat(page.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
        for (String path : new String[] {"/../daemon/Daemon.class", "/%2e%2e/Daemon.class", "/.hidden.html",
                "/pyto/daemon/Daemon.class", "/index.html/..", "/nothing.html"}) {
            assertThat(fixture.raw("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + RIGHT
                    + "\r\nConnection: close\r\n\r\n").status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void noReplyCarriesCorsHeadersEvenForAPreflight() throws Exception {
        String host = Daemon.hostPort(fixture.daemon.rpcAddress());
        DaemonFixture.Raw preflight = fixture.raw("OPTIONS /transmission/rpc HTTP/1.1\r\nHost: " + host
                + "\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    }

    @Test
    void aBodyTooLargeIsRefusedUnread() throws Exception {
        String head = new String(fixture.rpcRequest(""), StandardCharsets.ISO_8859_1)
                .replace("Content-Length: 0", "Content-Length: " + ((1 << 20) + 1));
        assertThat(fixture.raw(head).status()).isEqualTo(413);
        String unauthenticated = head.replace(RIGHT, "Basic eDp5");
        assertThat(fixture.raw(unauthenticated).status()).as("the password comes first").isEqualTo(401);
    }

    @Test
    void malformedRequestsGetAnErrorReplyNotAStackTrace() throws Exception {
        assertThat(fixture.raw("NONSENSE\r\n\r\n").status()).isEqualTo(400);
        assertThat(fixture.raw("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n").status()).isEqualTo(400);
        assertThat(fixture.raw("GET / HTTP/1.1\r\nHost: localhost\r\n folded\r\n\r\n").status()).isEqualTo(400);
        assertThat(fixture.raw("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status()).isEqualTo(400);
        assertThat(fixture.raw("GET / HTTP/1.1\r\nHost: localhost\r\nX: " + "y".repeat(20_000) + "\r\n\r\n").status())
                .isEqualTo(431);
        String chunked = new String(fixture.rpcRequest(GET_TORRENTS), StandardCharsets.ISO_8859_1)
                .replace("Connection: close", "Transfer-Encoding: chunked");
        assertThat(fixture.raw(chunked).status()).isEqualTo(501);
        DaemonFixture.Raw badJson = fixture.raw(fixture.rpcRequest("{\"method\": torrent-get}"));
        assertThat(badJson.status()).isEqualTo(200);
        assertThat(badJson.body()).startsWith("{\"arguments\":{},\"result\":\"bad JSON at character 11")
                .doesNotContain("Exception").doesNotContain("at pyto.");
        DaemonFixture.Raw notObject = fixture.raw(fixture.rpcRequest("[1,2]"));
        assertThat(notObject.body()).contains("a JSON object with a \\\"method\\\"");
        assertThat(fixture.raw(fixture.rpcRequest("{\"method\":\"no-such\",\"tag\":7}")).body())
                .isEqualTo("{\"arguments\":{},\"result\":\"unknown method: no-such\",\"tag\":7}");
        assertThat(fixture.raw(fixture.rpcRequest("{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"id\"],\"ids\":{}}}"))
                .body()).contains("\\\"ids\\\" must be");
    }

    @Test
    void aClientTooSlowToSendItsHeadersIsDroppedAndOthersAreServed() throws Exception {
        try (Socket slow = new Socket(fixture.daemon.rpcAddress().getAddress(), fixture.daemon.rpcAddress().getPort())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write("POST /transmission/rpc HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(fixture.raw(fixture.rpcRequest(GET_TORRENTS)).status()).as("others meanwhile").isEqualTo(200);
            long start = System.nanoTime();
            InputStream in = slow.getInputStream();
            assertThat(in.read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void keepAliveCarriesSeveralRequestsAndExpectContinueIsAnswered() throws Exception {
        byte[] one = new String(fixture.rpcRequest(GET_TORRENTS), StandardCharsets.ISO_8859_1)
                .replace("Connection: close\r\n", "").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket s = new Socket(fixture.daemon.rpcAddress().getAddress(), fixture.daemon.rpcAddress().getPort())) {
            s.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write(one);
                DaemonFixture.Raw r = DaemonFixture.readReply(s.getInputStream());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.headers()).containsEntry("connection", "keep-alive");
            }
            String expecting = new String(one, StandardCharsets.ISO_8859_1);
            int split = expecting.indexOf("\r\n\r\n") + 2;
            s.getOutputStream().write((expecting.substring(0, split) + "Expect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            DaemonFixture.Raw cont = DaemonFixture.readReply(s.getInputStream());
            assertThat(cont.status()).isEqualTo(100);
        }
    }

    @Test
    void theStateDirectoryAndThePasswordFileAreTheOwnersOnly() throws Exception {
        fixture.stopDaemon();
        Path state = dir.resolve("state2");
        DaemonConfig config = fixture.config();
        Daemon d = Daemon.start(new DaemonConfig(state, config.downloadDir(), config.downloadRoots(), config.session(),
                config.rpc(), config.rpcHosts(), Optional.empty(), config.maxDown(), config.maxUp(),
                config.http(), config.saveInterval()));
        d.close();
        assertThat(Files.getPosixFilePermissions(RpcPassword.file(state)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(RpcPassword.read(RpcPassword.file(state))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
                .isEqualTo("rwx------");
    }
}
