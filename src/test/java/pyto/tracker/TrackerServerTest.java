package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BencodeDecoder;
import pyto.concurrent.Scope;
import pyto.metainfo.UrlBytes;

/** The embedded tracker spoken to over raw sockets, as a client, a confused client or garbage would. */
class TrackerServerTest {

    static final String HASH = UrlBytes.encode(SwarmRegistryTest.hash(7).bytes());
    static final TrackerServer.Config CONFIG = TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(5))
            .withReadTimeout(Duration.ofMillis(500));

    private int threadsBefore;
    private TrackerServer server;

    /** An HTTP reply: status code and bencoded body. */
    record Reply(int status, BDict body) {
        String failure() {
            return body.string("failure reason").map(BString::text).orElse(null);
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        threadsBefore = Scope.liveThreads();
        server = TrackerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONFIG);
    }

    @AfterEach
    void stopServer() {
        server.close();
        assertThat(Scope.liveThreads()).isEqualTo(threadsBefore);
    }

    static String peerId(int n) {
        byte[] id = new byte[20];
        Arrays.fill(id, (byte) n);
        return UrlBytes.encode(id);
    }

    static String announce(int n, String extra) {
        return "GET /announce?info_hash=" + HASH + "&peer_id=" + peerId(n) + "&port=" + (7000 + n)
                + "&uploaded=0&downloaded=0&left=100" + extra + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private Reply send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Reply send(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request);
            return read(socket.getInputStream());
        }
    }

    private static Reply read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int bodyAt = text.indexOf("\r\n\r\n") + 4;
        assertThat(text).startsWith("HTTP/1.1 ").contains("Content-Length: " + (all.length - bodyAt) + "\r\n");
        int status = Integer.parseInt(text.substring(9, 12));
        return new Reply(status, BencodeDecoder.decodeDict(Arrays.copyOfRange(all, bodyAt, all.length)));
    }

    @Test
    void silentPeersAreKeptTwoIntervalsButAtLeastTenMinutes() {
        assertThat(TrackerServer.peerExpiry(Duration.ofMinutes(30))).isEqualTo(Duration.ofHours(1));
        assertThat(TrackerServer.peerExpiry(Duration.ofSeconds(2))).as("clients announce less often than that")
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void announceAnswersCompactlyWithOthersOnly() throws IOException {
        Reply first = send(announce(1, "&event=started"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.failure()).isNull();
        assertThat(first.body().integer("interval")).contains(5L);
        assertThat(first.body().integer("min interval")).contains(5L);
        assertThat(first.body().string("peers")).map(BString::length).contains(0);

        Reply second = send(announce(2, "&event=started"));
        assertThat(second.body().string("peers").orElseThrow().bytes()).containsExactly(127, 0, 0, 1, 7001 >> 8, 7001 & 0xff);
        assertThat(second.body().integer("incomplete")).contains(2L);
        assertThat(second.body().integer("complete")).contains(0L);
        assertThat(second.body().containsKey("peers6")).isFalse();
    }

    @Test
    void compactZeroGivesDictionariesWithOrWithoutPeerIds() throws IOException {
        send(announce(1, ""));
        BList peers = send(announce(2, "&compact=0")).body().list("peers").orElseThrow();
        assertThat(peers.values()).singleElement().isEqualTo(BDict.builder()
                .put("ip", "127.0.0.1").put("port", 7001).put("peer id", SwarmRegistryTest.peer(1, false).peerId()).build());
        BList anonymous = send(announce(2, "&compact=0&no_peer_id=1")).body().list("peers").orElseThrow();
        assertThat(anonymous.values()).singleElement().isEqualTo(BDict.builder().put("ip", "127.0.0.1").put("port", 7001).build());
    }

    @Test
    void http10RequestsAreServedToo() throws IOException {
        Reply reply = send(announce(1, "").replace("HTTP/1.1", "HTTP/1.0"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.failure()).isNull();
    }

    @Test
    void everyMalformedAnnounceGetsAFailureReason() throws IOException {
        String ok = announce(1, "");
        String hash19 = UrlBytes.encode(new byte[19]);
        List<List<String>> cases = List.of(
                List.of(ok.replace("/announce", "/announce.php"), "unknown path /announce.php"),
                List.of(ok.replace("info_hash=" + HASH + "&", ""), "missing info_hash"),
                List.of(ok.replace(HASH, hash19), "info_hash must be 20 bytes, not 19"),
                List.of(ok.replace("peer_id=" + peerId(1), "peer_id=short"), "peer_id must be 20 bytes, not 5"),
                List.of(ok.replace("port=7001", "port=0"), "port out of range: 0"),
                List.of(ok.replace("port=7001", "port=65536"), "port out of range: 65536"),
                List.of(ok.replace("port=7001", "port=http"), "port is not a number"),
                List.of(ok.replace("&left=100", ""), "missing left"),
                List.of(ok.replace("left=100", "left=-1"), "left is not a number"),
                List.of(ok.replace("uploaded=0", "uploaded=99999999999999999999"), "uploaded is not a number"),
                List.of(announce(1, "&event=paused"), "unknown event"),
                List.of(announce(1, "&numwant=lots"), "numwant is not a number"),
                List.of(ok.replace(HASH, "%zz" + HASH.substring(3)), "malformed query string: bad %-escape in %zz"));
        for (List<String> c : cases) {
            Reply reply = send(c.get(0));
            assertThat(reply.status()).as(c.get(0)).isEqualTo(200);
            assertThat(reply.failure()).as(c.get(0)).startsWith(c.get(1));
        }
    }

    @Test
    void somethingThatIsNotHttpGets400WithAReason() throws IOException {
        Reply garbage = send(new byte[] {0x13, 'B', 'i', 't', 'T', 'o', 'r', 'r', 'e', 'n', 't', '\n', '\n'});
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.failure()).isEqualTo("not an HTTP/1.x request");
        Reply post = send("POST /announce HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertThat(post.status()).isEqualTo(400);
        assertThat(post.failure()).isEqualTo("only GET is supported");
    }

    @Test
    void tooLongRequestsAreRefusedWithAReason() throws IOException {
        Reply longLine = send("GET /announce?x=" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n");
        assertThat(longLine.status()).isEqualTo(200);
        assertThat(longLine.failure()).isEqualTo("request line and headers longer than 8 KiB");
        Reply longHeaders = send("GET /announce HTTP/1.1\r\n" + "X-Pad: yes\r\n".repeat(1000) + "\r\n");
        assertThat(longHeaders.failure()).isEqualTo("request line and headers longer than 8 KiB");
    }

    @Test
    void aRequestCutShortStillGetsAnAnswer() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /announce?info_hash=".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            assertThat(read(socket.getInputStream()).failure()).isEqualTo("request ended before its headers did");
        }
    }

    @Test
    void aSlowClientTimesOutWithAnAnswer() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /announce?info_hash=".getBytes(StandardCharsets.US_ASCII));
            Reply reply = read(socket.getInputStream()); // the server's read timeout is 500 ms
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.failure()).isEqualTo("no complete request in time");
        }
    }

    @Test
    void scrapeGivesCountsForTheHashesAskedOrForAll() throws IOException {
        send(announce(1, "&event=started"));
        send(announce(2, "&event=started").replace("left=100", "left=0"));
        send(announce(3, "&event=completed").replace("left=100", "left=0"));
        BDict expected = BDict.builder().put("complete", 2).put("incomplete", 1).put("downloaded", 1).build();
        BString key = new BString(SwarmRegistryTest.hash(7).bytes());

        BDict all = send("GET /scrape HTTP/1.1\r\n\r\n").body().dict("files").orElseThrow();
        assertThat(all.entries()).containsOnlyKeys(key).containsEntry(key, expected);

        String other = UrlBytes.encode(SwarmRegistryTest.hash(8).bytes());
        BDict some = send("GET /scrape?info_hash=" + HASH + "&info_hash=" + other + " HTTP/1.1\r\n\r\n")
                .body().dict("files").orElseThrow();
        assertThat(some.entries()).hasSize(2).containsEntry(key, expected);
        assertThat(some.entries().get(new BString(SwarmRegistryTest.hash(8).bytes())))
                .isEqualTo(BDict.builder().put("complete", 0).put("incomplete", 0).put("downloaded", 0).build());

        assertThat(send("GET /scrape?info_hash=abc HTTP/1.1\r\n\r\n").failure()).isEqualTo("info_hash must be 20 bytes, not 3");
    }

    @Test
    void stoppedRemovesThePeer() throws IOException {
        send(announce(1, "&event=started"));
        send(announce(1, "&event=stopped"));
        Reply second = send(announce(2, "&event=started"));
        assertThat(second.body().string("peers")).map(BString::length).contains(0);
        assertThat(second.body().integer("incomplete")).contains(1L);
    }

    @Test
    void connectionsBeyondTheCapWaitTheirTurn() throws Exception {
        server.close();
        server = TrackerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                CONFIG.withMaxConnections(1).withReadTimeout(Duration.ofSeconds(10)));
        Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.port());
        try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            idle.getOutputStream().write('G'); // holds the only slot
            await().atMost(Duration.ofSeconds(5)).until(() -> Scope.liveThreads() == threadsBefore + 4); // accept, expire, udp, idle
            waiting.getOutputStream().write(announce(1, "").getBytes(StandardCharsets.US_ASCII));
            waiting.setSoTimeout(300);
            InputStream in = waiting.getInputStream();
            try {
                int b = in.read();
                throw new AssertionError("answered beyond the cap: " + b);
            } catch (SocketTimeoutException expected) {
                // not served while the slot is taken
            }
            idle.close();
            waiting.setSoTimeout(5000);
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            in.transferTo(reply);
            assertThat(reply.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
        } finally {
            idle.close();
        }
    }

    @Test
    void closeEndsIdleConnections() throws IOException {
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> Scope.liveThreads() == threadsBefore + 4); // accept, expire, udp, idle
            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(Scope.liveThreads()).isEqualTo(threadsBefore);
            idle.setSoTimeout(5000);
            assertThat(idle.getInputStream().read()).as("the server closed its end").isEqualTo(-1);
        }
    }
}
