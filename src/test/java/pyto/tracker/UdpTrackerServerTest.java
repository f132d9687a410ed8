package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.concurrent.Scope;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * The embedded tracker's UDP side (BEP 15) spoken to with raw datagrams: as a client would, as a
 * forger would, and with garbage. A refused request gets an error packet (action 3) whenever it
 * is long enough to carry a transaction id, and nothing otherwise.
 */
class UdpTrackerServerTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InfoHash TORRENT = SwarmRegistryTest.hash(7);

    private final SwarmRegistryTest.HandClock clock = new SwarmRegistryTest.HandClock();
    private int threadsBefore;
    private TrackerServer server;
    private DatagramSocket client;

    /** A reply: action, transaction id and the rest. */
    record Reply(int action, int transactionId, ByteBuffer body) {
        String error() {
            assertThat(action).as("an error packet").isEqualTo(UdpPackets.ERROR);
            return StandardCharsets.UTF_8.decode(body.duplicate()).toString();
        }
    }

    @BeforeEach
    void start() throws IOException {
        threadsBefore = Scope.liveThreads();
        server = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(90)).withClock(clock));
        client = socket(LOOPBACK);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        assertThat(Scope.liveThreads()).isEqualTo(threadsBefore);
    }

    private static DatagramSocket socket(InetAddress bind) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        socket.setSoTimeout(5000);
        return socket;
    }

    private InetSocketAddress udp() {
        return new InetSocketAddress(LOOPBACK, server.udpPort().orElseThrow());
    }

    private Reply ask(DatagramSocket from, byte[] packet) throws IOException {
        from.send(new DatagramPacket(packet, packet.length, udp()));
        byte[] buffer = new byte[4096];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        from.receive(reply);
        assertThat(reply.getSocketAddress()).isEqualTo(udp());
        ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(buffer, reply.getLength()));
        return new Reply(in.getInt(), in.getInt(), in.slice());
    }

    private long connect(DatagramSocket from) throws IOException {
        Reply reply = ask(from, UdpPackets.connectRequest(77));
        assertThat(reply.action()).isEqualTo(UdpPackets.CONNECT);
        assertThat(reply.transactionId()).isEqualTo(77);
        assertThat(reply.body().remaining()).isEqualTo(8);
        return reply.body().getLong();
    }

    static AnnounceRequest announce(int n, Event event) {
        byte[] id = new byte[20];
        Arrays.fill(id, (byte) n);
        return new AnnounceRequest(TORRENT, id, 7000 + n, 0, 0, 100, event, -1, n);
    }

    @Test
    void udpIsServedOnTheHttpPortNumberByDefault() {
        assertThat(server.udpPort()).hasValue(server.port());
        assertThat(server.udpAnnounceUrl()).contains("udp://127.0.0.1:" + server.port() + "/announce");
    }

    @Test
    void announcesSeeEachOtherAndScrapeCountsThem() throws IOException {
        long id = connect(client);
        Reply first = ask(client, UdpPackets.announceRequest(id, 1, announce(1, Event.STARTED)));
        assertThat(first.action()).isEqualTo(UdpPackets.ANNOUNCE);
        assertThat(first.transactionId()).isEqualTo(1);
        assertThat(first.body().getInt()).as("interval").isEqualTo(90);
        assertThat(first.body().getInt()).as("leechers").isEqualTo(1);
        assertThat(first.body().getInt()).as("seeders").isZero();
        assertThat(first.body().remaining()).as("no other peers yet").isZero();

        Reply second = ask(client, UdpPackets.announceRequest(id, 2, announce(2, Event.STARTED)));
        second.body().position(12);
        assertThat(CompactPeers.decodeIpv4(bytes(second.body()))).containsExactly(new InetSocketAddress(LOOPBACK, 7001));

        Reply scrape = ask(client, UdpPackets.scrapeRequest(id, 3, List.of(TORRENT, SwarmRegistryTest.hash(8))));
        assertThat(scrape.action()).isEqualTo(UdpPackets.SCRAPE);
        ByteBuffer counts = scrape.body();
        assertThat(List.of(counts.getInt(), counts.getInt(), counts.getInt())).containsExactly(0, 0, 2); // seeders, completed, leechers
        assertThat(List.of(counts.getInt(), counts.getInt(), counts.getInt())).containsExactly(0, 0, 0);
        assertThat(counts.remaining()).isZero();

        ask(client, UdpPackets.announceRequest(id, 4, announce(1, Event.STOPPED)));
        Reply after = ask(client, UdpPackets.announceRequest(id, 5, announce(2, Event.NONE)));
        assertThat(after.body().getInt(4)).as("leechers").isEqualTo(1);
        assertThat(after.body().remaining()).isEqualTo(12);
    }

    @Test
    void aForgedConnectionIdGetsAnErrorAndChangesNothing() throws IOException {
        connect(client);
        Reply forged = ask(client, UdpPackets.announceRequest(0x1234567890L, 9, announce(1, Event.STARTED)));
        assertThat(forged.transactionId()).isEqualTo(9);
        assertThat(forged.error()).isEqualTo("unknown or expired connection id");
        assertThat(ask(client, UdpPackets.scrapeRequest(0x41727101980L, 10, List.of(TORRENT))).error())
                .isEqualTo("unknown or expired connection id");
        long id = connect(client);
        Reply scrape = ask(client, UdpPackets.scrapeRequest(id, 11, List.of(TORRENT)));
        assertThat(scrape.body().getInt(8)).as("leechers: the forged announce was not counted").isZero();
    }

    @Test
    void aConnectionIdFromAnotherAddressIsRefused() throws IOException {
        long id = connect(client);
        try (DatagramSocket elsewhere = socket(InetAddress.getByName("127.0.0.2"))) {
            assertThat(ask(elsewhere, UdpPackets.announceRequest(id, 5, announce(1, Event.STARTED))).error())
                    .isEqualTo("unknown or expired connection id");
            long own = connect(elsewhere);
            assertThat(own).isNotEqualTo(id);
            assertThat(ask(elsewhere, UdpPackets.announceRequest(own, 6, announce(1, Event.STARTED))).action())
                    .isEqualTo(UdpPackets.ANNOUNCE);
        }
        try (DatagramSocket samePlaceOtherPort = socket(LOOPBACK)) {
            assertThat(ask(samePlaceOtherPort, UdpPackets.announceRequest(id, 7, announce(2, Event.STARTED))).action())
                    .as("the id proves the address; the port may change").isEqualTo(UdpPackets.ANNOUNCE);
        }
    }

    @Test
    void connectionIdsLiveOneToTwoMinutes() throws IOException {
        long id = connect(client);
        // the hand clock starts on a minute: the id was made in window W and is good through W + 1
        clock.advance(Duration.ofSeconds(119));
        assertThat(ask(client, UdpPackets.scrapeRequest(id, 1, List.of(TORRENT))).action()).isEqualTo(UdpPackets.SCRAPE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(ask(client, UdpPackets.scrapeRequest(id, 2, List.of(TORRENT))).error()).contains("expired");
    }

    @Test
    void malformedRequestsGetAnErrorWithTheirTransactionId() throws IOException {
        long id = connect(client);
        byte[] announce = UdpPackets.announceRequest(id, 42, announce(1, Event.NONE));
        byte[] badEvent = announce.clone();
        ByteBuffer.wrap(badEvent).putInt(80, 9);
        byte[] portZero = announce.clone();
        ByteBuffer.wrap(portZero).putShort(96, (short) 0);
        byte[] negativeLeft = announce.clone();
        ByteBuffer.wrap(negativeLeft).putLong(64, -1);
        byte[] scrape = UdpPackets.scrapeRequest(id, 42, List.of(TORRENT));
        List<List<Object>> cases = List.of(
                List.of(Arrays.copyOf(announce, 60), "an announce is 98 bytes, not 60"),
                List.of(badEvent, "unknown event 9"),
                List.of(portZero, "port 0"),
                List.of(negativeLeft, "negative byte counts"),
                List.of(Arrays.copyOf(scrape, 35), "a scrape carries info hashes of 20 bytes, not 19 bytes"),
                List.of(Arrays.copyOf(scrape, 16), "a scrape carries info hashes of 20 bytes, not 0 bytes"),
                List.of(Arrays.copyOf(scrape, 16 + 75 * 20), "at most 74 info hashes per scrape"),
                List.of(ByteBuffer.allocate(16).putLong(id).putInt(7).putInt(42).array(), "unknown action 7"),
                List.of(ByteBuffer.allocate(16).putLong(5).putInt(0).putInt(42).array(),
                        "a connect carries the protocol id 0x41727101980"));
        for (List<Object> c : cases) {
            Reply reply = ask(client, (byte[]) c.get(0));
            assertThat(reply.transactionId()).isEqualTo(42);
            assertThat(reply.error()).isEqualTo(c.get(1));
        }
        assertThat(ask(client, announce).action()).as("a good one after all that").isEqualTo(UdpPackets.ANNOUNCE);
    }

    @Test
    void packetsTooShortForATransactionIdAreNotAnswered() throws IOException {
        for (int length : new int[] {0, 3, 15}) {
            client.send(new DatagramPacket(new byte[length], length, udp()));
        }
        client.setSoTimeout(300);
        try {
            client.receive(new DatagramPacket(new byte[100], 100));
            throw new AssertionError("a packet too short for a transaction id was answered");
        } catch (SocketTimeoutException expected) {
            // silence, as documented
        }
        client.setSoTimeout(5000);
        connect(client); // and the server still serves
    }

    @Test
    void theUdpPortCanBeAnotherOrNone() throws IOException {
        try (TrackerServer off = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0),
                TrackerServer.Config.DEFAULTS.withUdpPort(TrackerServer.Config.UDP_OFF))) {
            assertThat(off.udpPort()).isEmpty();
            assertThat(off.udpAnnounceUrl()).isEmpty();
        }
        try (TrackerServer any = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0),
                TrackerServer.Config.DEFAULTS.withUdpPort(0))) {
            int port = any.udpPort().orElseThrow();
            assertThat(port).isPositive();
            UdpTracker tracker = new UdpTracker(URI.create(any.udpAnnounceUrl().orElseThrow()), UdpTrackerTest.FAST);
            assertThat(tracker.scrape(TORRENT)).isEqualTo(new ScrapeResponse(0, 0, 0));
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
