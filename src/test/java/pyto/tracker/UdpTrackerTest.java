package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.concurrent.Scope;
import pyto.tracker.AnnounceRequest.Event;

/** The BEP 15 client against a scripted tracker on loopback that misbehaves in every way we could think of. */
class UdpTrackerTest {

    /** Resends after 100, 200 and 400 ms: the whole schedule takes 700 ms. */
    static final Trackers.Config FAST = Trackers.Config.DEFAULTS.withUdpSchedule(Duration.ofMillis(100), 2);

    static final byte[] TWO_PEERS = {10, 0, 0, 7, 0x1a, (byte) 0xe1, 127, 0, 0, 1, (byte) 0xc8, (byte) 0xd5};

    private final SwarmRegistryTest.HandClock clock = new SwarmRegistryTest.HandClock();
    private int threadsBefore;
    private FakeUdpTracker fake;

    @BeforeEach
    void countThreads() {
        threadsBefore = Scope.liveThreads();
    }

    @AfterEach
    void stopFake() {
        if (fake != null) {
            fake.close();
        }
        assertThat(Scope.liveThreads()).isEqualTo(threadsBefore);
    }

    private UdpTracker tracker(FakeUdpTracker.Script script) throws IOException {
        return tracker(script, FAST);
    }

    private UdpTracker tracker(FakeUdpTracker.Script script, Trackers.Config config) throws IOException {
        fake = FakeUdpTracker.start(script);
        return new UdpTracker(URI.create(fake.url()), config, clock);
    }

    private static AnnounceRequest request(Event event) {
        return HttpTrackerTest.request(event);
    }

    private static void assertTwoPeers(AnnounceResponse r) {
        assertThat(r.peers()).containsExactly(new InetSocketAddress("10.0.0.7", 6881), new InetSocketAddress("127.0.0.1", 51413));
    }

    @Test
    void connectThenAnnounceWithEveryFieldInPlace() throws IOException {
        UdpTracker tracker = tracker(r -> FakeUdpTracker.honest(r, TWO_PEERS));
        AnnounceResponse r = tracker.announce(request(Event.STARTED));

        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(r.seeders()).hasValue(4);
        assertThat(r.leechers()).hasValue(3);
        assertTwoPeers(r);

        FakeUdpTracker.Request connect = fake.requests.get(0);
        assertThat(connect.connectionId()).isEqualTo(0x41727101980L);
        assertThat(connect.action()).isEqualTo(UdpPackets.CONNECT);
        assertThat(connect.body().remaining()).isZero();

        FakeUdpTracker.Request announce = fake.requests.get(1);
        assertThat(announce.connectionId()).isEqualTo(FakeUdpTracker.CONNECTION_ID);
        assertThat(announce.action()).isEqualTo(UdpPackets.ANNOUNCE);
        assertThat(announce.transactionId()).isNotEqualTo(connect.transactionId());
        ByteBuffer body = announce.body();
        assertThat(body.remaining()).isEqualTo(98 - 16);
        byte[] hash = new byte[20];
        byte[] peerId = new byte[20];
        body.get(hash).get(peerId);
        assertThat(hash).isEqualTo(HttpTrackerTest.HASH_BYTES);
        assertThat(peerId).isEqualTo(HttpTrackerTest.PEER_ID);
        assertThat(List.of(body.getLong(), body.getLong(), body.getLong())).containsExactly(200L, 300L, 100L); // down, left, up
        assertThat(body.getInt()).as("event started").isEqualTo(2);
        assertThat(body.getInt()).as("ip").isZero();
        assertThat(body.getInt()).as("key").isEqualTo(0x1234abcd);
        assertThat(body.getInt()).as("num_want").isEqualTo(50);
        assertThat(Short.toUnsignedInt(body.getShort())).as("port").isEqualTo(6881);
    }

    @Test
    void scrapeAsksForOneHashAndReadsItsCounts() throws IOException {
        UdpTracker tracker = tracker(r -> FakeUdpTracker.honest(r, new byte[0]));
        assertThat(tracker.scrape(HttpTrackerTest.HASH)).isEqualTo(new ScrapeResponse(5, 7, 6)); // complete, incomplete, downloaded
        FakeUdpTracker.Request scrape = fake.requests.get(1);
        assertThat(scrape.action()).isEqualTo(UdpPackets.SCRAPE);
        assertThat(scrape.body().array()).endsWith(HttpTrackerTest.HASH_BYTES);
        assertThat(scrape.body().remaining()).isEqualTo(20);
    }

    @Test
    void lostPacketsAreSentAgainWithTheSameTransactionId() throws IOException {
        // the connect and the first announce are lost
        UdpTracker tracker = tracker(r -> r.n() == 1 || r.n() == 3 ? List.of() : FakeUdpTracker.honest(r, TWO_PEERS));
        assertTwoPeers(tracker.announce(request(Event.NONE)));
        assertThat(fake.requests).extracting(FakeUdpTracker.Request::action).containsExactly(0, 0, 1, 1);
        assertThat(fake.requests.get(1).transactionId()).isEqualTo(fake.requests.get(0).transactionId());
        assertThat(fake.requests.get(3).transactionId()).isEqualTo(fake.requests.get(2).transactionId());
    }

    @Test
    void aSilentTrackerIsGivenUpAfterTheLastResend() throws IOException {
        UdpTracker tracker = tracker(r -> List.of());
        long start = System.nanoTime();
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("after 3 tries");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(650), Duration.ofSeconds(5)); // 100 + 200 + 400 ms
        assertThat(fake.count(UdpPackets.CONNECT)).isEqualTo(3);
    }

    @Test
    void theBudgetCutsTheScheduleShort() throws IOException {
        UdpTracker tracker = tracker(r -> List.of(), Trackers.Config.DEFAULTS); // 15 s before the first resend
        long start = System.nanoTime();
        assertThatThrownBy(() -> tracker.announce(request(Event.STOPPED), Duration.ofMillis(300)))
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("within the time allowed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }

    @Test
    void answersWithTheWrongTransactionIdOrActionAreIgnored() throws IOException {
        UdpTracker tracker = tracker(r -> {
            List<byte[]> right = FakeUdpTracker.honest(r, TWO_PEERS);
            if (r.action() != UdpPackets.ANNOUNCE) {
                return right;
            }
            byte[] wrongTransaction = UdpPackets.announceReply(r.transactionId() + 1, 60, new ScrapeResponse(0, 0, 0), new byte[6]);
            byte[] wrongAction = UdpPackets.scrapeReply(r.transactionId(), List.of(new ScrapeResponse(1, 1, 1)));
            return List.of(wrongTransaction, wrongAction, right.get(0));
        });
        AnnounceResponse r = tracker.announce(request(Event.NONE));
        assertTwoPeers(r);
        assertThat(fake.count(UdpPackets.ANNOUNCE)).as("no resend was needed").isEqualTo(1);
    }

    @Test
    void anAnswerFromAnotherPortIsIgnored() throws IOException {
        UdpTracker tracker = tracker(r -> {
            if (r.action() == UdpPackets.ANNOUNCE) {
                byte[] impostor = UdpPackets.announceReply(r.transactionId(), 60, new ScrapeResponse(9, 9, 9), new byte[0]);
                fake.sendFromOtherPort(impostor, r.from());
                sleep(50); // let the impostor arrive first
            }
            return FakeUdpTracker.honest(r, TWO_PEERS);
        });
        AnnounceResponse r = tracker.announce(request(Event.NONE));
        assertThat(r.seeders()).hasValue(4);
        assertTwoPeers(r);
    }

    @Test
    void aPacketTooShortToSayAnythingIsIgnored() throws IOException {
        UdpTracker tracker = tracker(r -> {
            List<byte[]> right = FakeUdpTracker.honest(r, TWO_PEERS);
            return List.of(new byte[] {0, 0, 1}, right.get(0));
        });
        assertTwoPeers(tracker.announce(request(Event.NONE)));
    }

    @Test
    void anAnswerTooShortForItsActionIsATrackerException() throws IOException {
        UdpTracker tracker = tracker(r -> r.action() == UdpPackets.CONNECT ? FakeUdpTracker.honest(r, TWO_PEERS)
                : List.of(ByteBuffer.allocate(12).putInt(UdpPackets.ANNOUNCE).putInt(r.transactionId()).putInt(60).array()));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("12 bytes, too short");
    }

    @Test
    void peersOfABadLengthAreATrackerException() throws IOException {
        UdpTracker tracker = tracker(r -> FakeUdpTracker.honest(r, new byte[7]));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageContaining("not a multiple of 6");
    }

    @Test
    void anErrorPacketGivesTheTrackersWords() throws IOException {
        UdpTracker tracker = tracker(r -> r.action() == UdpPackets.CONNECT ? FakeUdpTracker.honest(r, TWO_PEERS)
                : List.of(UdpPackets.errorReply(r.transactionId(), "torrent not registered\0"))); // C strings end in NUL
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageEndingWith("refused: torrent not registered");
        assertThat(fake.count(UdpPackets.ANNOUNCE)).isEqualTo(1);
    }

    @Test
    void theConnectionIdIsReusedForAMinuteThenRenewed() throws IOException {
        UdpTracker tracker = tracker(r -> FakeUdpTracker.honest(r, TWO_PEERS));
        tracker.announce(request(Event.STARTED));
        clock.advance(Duration.ofSeconds(59));
        tracker.announce(request(Event.NONE));
        tracker.scrape(HttpTrackerTest.HASH);
        assertThat(fake.count(UdpPackets.CONNECT)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        tracker.announce(request(Event.NONE));
        assertThat(fake.count(UdpPackets.CONNECT)).isEqualTo(2);
        assertThat(fake.requests).extracting(FakeUdpTracker.Request::action).containsExactly(0, 1, 1, 2, 0, 1);
    }

    @Test
    void anErrorAboutTheConnectionIdMakesItConnectAgainOnce() throws IOException {
        UdpTracker tracker = tracker(r -> r.action() == UdpPackets.ANNOUNCE && r.n() <= 2
                ? List.of(UdpPackets.errorReply(r.transactionId(), "Connection ID mismatch"))
                : FakeUdpTracker.honest(r, TWO_PEERS));
        assertTwoPeers(tracker.announce(request(Event.NONE)));
        assertThat(fake.requests).extracting(FakeUdpTracker.Request::action).containsExactly(0, 1, 0, 1);
    }

    @Test
    void aTrackerThatKeepsRefusingTheConnectionIsNotAskedForever() throws IOException {
        UdpTracker tracker = tracker(r -> r.action() == UdpPackets.ANNOUNCE
                ? List.of(UdpPackets.errorReply(r.transactionId(), "bad connection id"))
                : FakeUdpTracker.honest(r, TWO_PEERS));
        assertThatThrownBy(() -> tracker.announce(request(Event.NONE)))
                .isInstanceOf(TrackerException.class).hasMessageEndingWith("refused: bad connection id");
        assertThat(fake.requests).extracting(FakeUdpTracker.Request::action).containsExactly(0, 1, 0, 1);
    }

    @Test
    void anInterruptEndsAWaitAtOnce() throws Exception {
        UdpTracker tracker = tracker(r -> List.of(), Trackers.Config.DEFAULTS);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        try (Scope scope = new Scope("udp-interrupt-test")) {
            scope.fork("announce", () -> {
                try {
                    tracker.announce(request(Event.NONE));
                    outcome.complete(null);
                } catch (IOException e) {
                    outcome.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt status lost", e));
                }
                return null;
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fake.requests.size() == 1);
            long start = System.nanoTime();
            scope.cancel();
            Throwable thrown = outcome.get(5, TimeUnit.SECONDS);
            assertThat(thrown).isInstanceOf(InterruptedIOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void ipv6TrackersAnswerWith18BytePeers() throws IOException {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback6, 0))) {
            assertThat(probe.getLocalPort()).isPositive();
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback on this machine: " + e);
        }
        byte[] peer6 = new byte[18];
        peer6[0] = 0x20;
        peer6[1] = 0x01;
        peer6[15] = 1;
        peer6[16] = 0x1a;
        peer6[17] = (byte) 0xe1;
        fake = FakeUdpTracker.start(loopback6, r -> FakeUdpTracker.honest(r, peer6));
        UdpTracker tracker = new UdpTracker(URI.create(fake.url()), FAST, clock);
        assertThat(tracker.url()).startsWith("udp://[0:0:0:0:0:0:0:1]:");
        AnnounceResponse r = tracker.announce(request(Event.NONE));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("2001::1", 6881));
        assertThat(fake.requests.get(0).from().getAddress()).isEqualTo(loopback6);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
