package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pyto.bencode.BDict;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

class HttpTrackerTest {

    static final byte[] HASH_BYTES = new byte[20];
    static {
        for (int i = 0; i < 20; i++) {
            HASH_BYTES[i] = (byte) (i * 13 + 0x41); // 'A', 'N', '[' ... and bytes above 0x7f
        }
    }
    static final InfoHash HASH = new InfoHash(HASH_BYTES);
    static final byte[] PEER_ID = "-PY0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);

    private TestHttpServer server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    static AnnounceRequest request(Event event) {
        return new AnnounceRequest(HASH, PEER_ID, 6881, 100, 200, 300, event, 50, 0x1234abcd);
    }

    private static HttpTracker tracker(String url) {
        return tracker(url, Trackers.Config.DEFAULTS);
    }

    private static HttpTracker tracker(String url, Trackers.Config config) {
        return new HttpTracker(URI.create(url), config);
    }

    private HttpTracker serving(Function<String, byte[]> script) throws IOException {
        server = TestHttpServer.start(script);
        return tracker(server.url("/announce"));
    }

    private HttpTracker answering(byte[] rawReply) throws IOException {
        return serving(target -> rawReply);
    }

    private static byte[] bencoded(BDict dict) {
        return TestHttpServer.ok(dict.encode());
    }

    // ---- the request

    @Test
    void announceUrlCarriesTheRawBytesAndEveryNumber() {
        String url = tracker("http://t.example/announce").announceUrl(request(Event.STARTED));
        assertThat(url).isEqualTo("http://t.example/announce?info_hash=" + UrlBytesFor.hash()
                + "&peer_id=-PY0001-abcdefghijkl&port=6881&uploaded=100&downloaded=200&left=300"
                + "&compact=1&numwant=50&key=1234abcd&event=started");
    }

    @Test
    void regularAnnounceSendsNoEventAndNegativeNumwantIsLeftOut() {
        AnnounceRequest r = new AnnounceRequest(HASH, PEER_ID, 1, 0, 0, 0, Event.NONE, -1, 7);
        String url = tracker("http://t.example/announce").announceUrl(r);
        assertThat(url).doesNotContain("event=").doesNotContain("numwant=").endsWith("&key=00000007");
    }

    @Test
    void aQueryInTheAnnounceUrlIsExtendedNotReplaced() {
        assertThat(tracker("http://t.example/announce.php?passkey=s3cret").announceUrl(request(Event.NONE)))
                .startsWith("http://t.example/announce.php?passkey=s3cret&info_hash=");
        assertThat(tracker("http://t.example/a?").announceUrl(request(Event.NONE)))
                .startsWith("http://t.example/a?info_hash=");
    }

    @Test
    void trackerIdIsSentBackOnceGiven() throws IOException {
        HttpTracker tracker = answering(bencoded(BDict.builder()
                .put("interval", 60).put("tracker id", "id 7").put("peers", new byte[0]).build()));
        assertThat(tracker.announceUrl(request(Event.NONE))).doesNotContain("trackerid");
        tracker.announce(request(Event.STARTED));
        assertThat(tracker.announceUrl(request(Event.NONE))).endsWith("&trackerid=id%207");
    }

    @Test
    void theRequestReachesTheServerIntact() throws IOException {
        HttpTracker tracker = answering(bencoded(BDict.builder().put("interval", 60).put("peers", new byte[0]).build()));
        tracker.announce(request(Event.COMPLETED));
        assertThat(server.targets()).singleElement().asString()
                .startsWith("/announce?info_hash=" + UrlBytesFor.hash() + "&peer_id=")
                .endsWith("&event=completed");
    }

    // ---- replies

    @Test
    void compactReplyGivesPeersCountsAndIntervals() throws IOException {
        byte[] peers = {10, 0, 0, 7, 0x1a, (byte) 0xe1, 127, 0, 0, 1, (byte) 0xc8, (byte) 0xd5};
        AnnounceResponse r = answering(bencoded(BDict.builder()
                .put("interval", 1800).put("min interval", 60).put("complete", 5).put("incomplete", 9)
                .put("peers", peers).build())).announce(request(Event.STARTED));
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(r.minInterval()).contains(Duration.ofSeconds(60));
        assertThat(r.seeders()).hasValue(5);
        assertThat(r.leechers()).hasValue(9);
        assertThat(r.peers()).containsExactly(peer("10.0.0.7", 6881), peer("127.0.0.1", 51413));
        assertThat(r.warning()).isEmpty();
    }

    @Test
    void peers6AreAddedToPeers() throws IOException {
        byte[] six = new byte[18];
        six[0] = 0x20;
        six[1] = 0x01;
        six[15] = 1;
        six[16] = 0x1a;
        six[17] = (byte) 0xe1;
        AnnounceResponse r = answering(bencoded(BDict.builder()
                .put("interval", 60).put("peers", new byte[] {1, 2, 3, 4, 0, 80}).put("peers6", six).build()))
                .announce(request(Event.NONE));
        assertThat(r.peers()).containsExactly(peer("1.2.3.4", 80), peer("2001::1", 6881));
    }

    @Test
    void dictionaryPeersSkipBadEntries() throws IOException {
        BDict good4 = BDict.builder().put("ip", "10.1.2.3").put("port", 6881).put("peer id", PEER_ID).build();
        BDict good6 = BDict.builder().put("ip", "::1").put("port", 7000).build();
        BDict hostname = BDict.builder().put("ip", "tracker.example").put("port", 1).build();
        BDict badPort = BDict.builder().put("ip", "10.1.2.4").put("port", 70000).build();
        BDict noIp = BDict.builder().put("port", 5).build();
        BDict octalLooking = BDict.builder().put("ip", "010.1.2.3").put("port", 5).build();
        AnnounceResponse r = answering(bencoded(BDict.builder().put("interval", 60)
                .put("peers", new pyto.bencode.BList(java.util.List.of(good4, hostname, badPort, noIp, octalLooking, good6)))
                .build())).announce(request(Event.NONE));
        assertThat(r.peers()).containsExactly(peer("10.1.2.3", 6881), peer("::1", 7000));
    }

    @Test
    void failureReasonIsTheExceptionMessage() throws IOException {
        HttpTracker tracker = answering(bencoded(BDict.builder().put("failure reason", "torrent not registered").build()));
        assertThatThrownBy(() -> tracker.announce(request(Event.STARTED)))
                .isInstanceOf(TrackerException.class).hasMessage("torrent not registered");
    }

    @Test
    void warningIsKeptAndTheAnnounceStillWorks() throws IOException {
        AnnounceResponse r = answering(bencoded(BDict.builder().put("interval", 60).put("peers", new byte[0])
                .put("warning message", "please upgrade").build())).announce(request(Event.NONE));
        assertThat(r.warning()).contains("please upgrade");
    }

    @Test
    void theExternalIpTheTrackerSeesIsKept() throws IOException {
        AnnounceResponse r = answering(bencoded(BDict.builder().put("interval", 60).put("peers", new byte[0])
                .put("external ip", new byte[] {(byte) 203, 0, 113, 7}).build())).announce(request(Event.NONE));
        assertThat(r.externalIp()).get().extracting(java.net.InetAddress::getHostAddress).isEqualTo("203.0.113.7");
        AnnounceResponse junk = answering(bencoded(BDict.builder().put("interval", 60).put("peers", new byte[0])
                .put("external ip", new byte[5]).build())).announce(request(Event.NONE));
        assertThat(junk.externalIp()).as("5 bytes are no address").isEmpty();
    }

    @Test
    void compactPeersOfABadLengthAreAnError() throws IOException {
        HttpTracker tracker = answering(bencoded(BDict.builder().put("interval", 60).put("peers", new byte[7]).build()));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("7 bytes").hasMessageContaining("multiple of 6");
    }

    @Test
    void peers6OfABadLengthAreAnError() throws IOException {
        HttpTracker tracker = answering(bencoded(BDict.builder().put("interval", 60).put("peers6", new byte[17]).build()));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("multiple of 18");
    }

    @Test
    void aReplyWithoutIntervalIsAnError() throws IOException {
        HttpTracker tracker = answering(bencoded(BDict.builder().put("peers", new byte[0]).build()));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("no interval");
    }

    @Test
    void anHtmlPageIsReportedWithItsFirstWords() throws IOException {
        HttpTracker tracker = answering(TestHttpServer.ok(
                "<html>\n  <head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class)
                .hasMessageStartingWith("tracker reply is not bencoded: <html> <head><title>502 Bad Gateway");
    }

    @Test
    void aNon200StatusQuotesTheStatusLine() throws IOException {
        HttpTracker tracker = answering(TestHttpServer.reply("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n", "not found"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessage("tracker answered HTTP/1.1 404 Not Found");
    }

    @Test
    void aFailureReasonSentWithAnErrorStatusIsKept() throws IOException {
        HttpTracker tracker = answering(TestHttpServer.reply("HTTP/1.0 400 Bad Request\r\n\r\n",
                "d14:failure reason12:unregisterede"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .hasMessage("tracker answered HTTP/1.0 400 Bad Request: unregistered");
    }

    @Test
    void notHttpAtAll() throws IOException {
        HttpTracker tracker = answering("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessage("not an HTTP reply: SSH-2.0-OpenSSH_9.2");
    }

    // ---- bodies: chunked, read to close, too large, truncated

    @Test
    void chunkedBodyIsReassembled() throws IOException {
        AnnounceResponse r = answering(TestHttpServer.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "5;ext=1\r\nd8:in\r\n10\r\ntervali60e5:peer\r\na\r\ns6:ABCDEFe\r\n0\r\nX-Trailer: y\r\n\r\n"))
                .announce(request(Event.NONE));
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.peers()).containsExactly(new InetSocketAddress(InetAddress.getByAddress(new byte[] {65, 66, 67, 68}), 0x4546));
    }

    @Test
    void bodyWithoutLengthIsReadToTheEnd() throws IOException {
        AnnounceResponse r = answering(TestHttpServer.reply("HTTP/1.0 200 OK\r\n\r\n", "d8:intervali60e5:peers0:e"))
                .announce(request(Event.NONE));
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void truncatedChunkedBodyIsAnError() throws IOException {
        HttpTracker tracker = answering(TestHttpServer.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "20\r\nd8:intervali60e"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("truncated");
    }

    @Test
    void chunkedBodyWithoutItsLastChunkIsAnError() throws IOException {
        HttpTracker tracker = answering(TestHttpServer.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "5\r\nd8:in\r\n"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("truncated");
    }

    @Test
    void shortContentLengthBodyIsAnError() throws IOException {
        HttpTracker tracker = answering(TestHttpServer.reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "d8:interval"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("truncated");
    }

    @Test
    void oversizedBodiesAreRefusedHoweverTheyAreFramed() throws IOException {
        Trackers.Config small = new Trackers.Config(Duration.ofSeconds(5), Duration.ofSeconds(5), 1024);
        String big = "x".repeat(2000);
        byte[][] replies = {
            TestHttpServer.reply("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n", ""),
            TestHttpServer.reply("HTTP/1.1 200 OK\r\n\r\n", big),
            TestHttpServer.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "7d0\r\n" + big + "\r\n0\r\n\r\n"),
        };
        AtomicInteger n = new AtomicInteger();
        server = TestHttpServer.start(target -> replies[n.getAndIncrement()]);
        HttpTracker tracker = tracker(server.url("/announce"), small);
        for (int i = 0; i < replies.length; i++) {
            assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                    .isInstanceOf(TrackerException.class).hasMessage("reply larger than 1 KiB");
        }
    }

    // ---- redirects

    @Test
    void redirectsAreFollowed() throws IOException {
        server = TestHttpServer.start(target -> target.startsWith("/old")
                ? TestHttpServer.reply("HTTP/1.1 302 Found\r\nLocation: /new" + target.substring(4) + "\r\n\r\n", "")
                : bencoded(BDict.builder().put("interval", 77).put("peers", new byte[0]).build()));
        AnnounceResponse r = tracker(server.url("/old")).announce(request(Event.NONE));
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(77));
        assertThat(server.targets()).hasSize(2);
        assertThat(server.targets().get(1)).startsWith("/new?info_hash=" + UrlBytesFor.hash());
    }

    @Test
    void aRedirectLoopIsNamed() throws IOException {
        server = TestHttpServer.start(target -> TestHttpServer.reply("HTTP/1.1 301 Moved\r\nLocation: "
                + (target.startsWith("/a") ? "/b" : "/a") + "\r\n\r\n", ""));
        HttpTracker tracker = tracker(server.url("/a"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageStartingWith("redirect loop: ")
                .hasMessageEndingWith("/b -> " + server.url("/a") + " -> " + server.url("/b"));
        assertThat(server.targets()).hasSize(3); // /a?info_hash=..., /b, /a, and /b again is the loop
    }

    @Test
    void tooManyRedirectsStop() throws IOException {
        AtomicInteger n = new AtomicInteger();
        server = TestHttpServer.start(target -> TestHttpServer.reply(
                "HTTP/1.1 307 Again\r\nLocation: /hop" + n.incrementAndGet() + "\r\n\r\n", ""));
        HttpTracker tracker = tracker(server.url("/start"));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageStartingWith("more than 5 redirects");
        assertThat(server.targets()).hasSize(HttpGet.MAX_REDIRECTS + 1);
    }

    // ---- time limits

    @Test
    void aSilentTrackerTimesOut() throws IOException {
        Trackers.Config quick = new Trackers.Config(Duration.ofSeconds(2), Duration.ofMillis(200), 1024);
        server = TestHttpServer.start(target -> null);
        HttpTracker tracker = tracker(server.url("/announce"), quick);
        long start = System.nanoTime();
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE))).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBudgetBoundsTheWholeAnnounce() throws IOException {
        HttpTracker tracker = serving(target -> null); // default 30 s read timeout
        long start = System.nanoTime();
        assertThatThrownBy(() -> tracker.announce(request(Event.STOPPED), Duration.ofMillis(300)))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    // ---- scrape (BEP 48)

    @Test
    void scrapeUrlFollowsBep48() {
        assertThat(HttpTracker.scrapeUrl("http://t.example/announce")).contains("http://t.example/scrape");
        assertThat(HttpTracker.scrapeUrl("http://t.example/x/announce.php?k=1")).contains("http://t.example/x/scrape.php?k=1");
        assertThat(HttpTracker.scrapeUrl("http://t.example/a")).isEmpty();
        assertThat(HttpTracker.scrapeUrl("http://t.example/announce/x")).isEmpty();
        assertThat(HttpTracker.scrapeUrl("http://announce.example")).isEmpty();
    }

    @Test
    void scrapeReadsTheEntryForOurHash() throws IOException {
        BDict stats = BDict.builder().put("complete", 2).put("incomplete", 3).put("downloaded", 10).build();
        BDict other = BDict.builder().put("complete", 99).build();
        java.util.Map<pyto.bencode.BString, pyto.bencode.BValue> files = new java.util.LinkedHashMap<>();
        files.put(new pyto.bencode.BString(new byte[20]), other);
        files.put(new pyto.bencode.BString(HASH_BYTES), stats);
        server = TestHttpServer.start(target -> bencoded(BDict.builder().put("files", new BDict(files)).build()));
        ScrapeResponse r = tracker(server.url("/announce?k=1")).scrape(HASH);
        assertThat(r).isEqualTo(new ScrapeResponse(2, 3, 10));
        assertThat(server.targets()).containsExactly("/scrape?k=1&info_hash=" + UrlBytesFor.hash());
    }

    @Test
    void scrapeWithoutAnnounceInThePathIsUnsupported() {
        assertThatThrownBy(() -> tracker("http://127.0.0.1:1/tracker").scrape(HASH))
                .isInstanceOf(IOException.class).hasMessageContaining("does not support scrape");
    }

    private static InetSocketAddress peer(String ip, int port) {
        return new InetSocketAddress(IpLiteral.parse(ip).orElseThrow(), port);
    }

    /** The expected percent-encoding of HASH, written out by hand rather than by the code under test. */
    private static final class UrlBytesFor {
        static String hash() {
            StringBuilder out = new StringBuilder();
            for (byte b : HASH_BYTES) {
                int c = b & 0xff;
                boolean plain = Character.isLetterOrDigit(c) && c < 0x80 || "-_.~".indexOf(c) >= 0;
                out.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
            }
            return out.toString();
        }
    }
}
