package pyto.tracker;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import pyto.concurrent.Scope;

/**
 * A UDP tracker for client tests (BEP 15) that answers by script: it can stay silent, answer
 * with the wrong transaction id, from another port, with garbage, or with an error. Its loop runs
 * on a virtual thread of its own scope; {@link #close()} stops it.
 */
final class FakeUdpTracker implements AutoCloseable {

    /** One request as the tracker saw it; {@code body} is what follows the 16-byte header. */
    record Request(int n, long connectionId, int action, int transactionId, ByteBuffer body, InetSocketAddress from) {
    }

    /** The packets to send back for a request, from the tracker's own port; none for silence. */
    @FunctionalInterface
    interface Script {
        List<byte[]> answer(Request request) throws IOException;
    }

    static final long CONNECTION_ID = 0x1122334455667788L;

    private final DatagramSocket socket;
    private final DatagramSocket otherPort;
    private final Script script;
    private final Scope scope = new Scope("fake-udp-tracker");
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeUdpTracker(DatagramSocket socket, Script script) throws SocketException {
        this.socket = socket;
        this.otherPort = new DatagramSocket(new InetSocketAddress(socket.getLocalAddress(), 0));
        this.script = script;
    }

    static FakeUdpTracker start(InetAddress bind, Script script) throws IOException {
        FakeUdpTracker tracker = new FakeUdpTracker(new DatagramSocket(new InetSocketAddress(bind, 0)), script);
        tracker.scope.fork("loop", tracker::loop);
        return tracker;
    }

    static FakeUdpTracker start(Script script) throws IOException {
        return start(InetAddress.getByName("127.0.0.1"), script);
    }

    String url() {
        String host = socket.getLocalAddress().getHostAddress();
        return "udp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + socket.getLocalPort() + "/announce";
    }

    /** How many requests with {@code action} arrived. */
    long count(int action) {
        return requests.stream().filter(r -> r.action() == action).count();
    }

    /** Sends {@code packet} to {@code to} from another port of the same address: a reply a client must not believe. */
    void sendFromOtherPort(byte[] packet, InetSocketAddress to) throws IOException {
        otherPort.send(new DatagramPacket(packet, packet.length, to));
    }

    private void loop() throws IOException {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException closed) {
                return;
            }
            ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(buffer, packet.getLength()));
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            Request request = new Request(requests.size() + 1, in.getLong(), in.getInt(), in.getInt(), in.slice(), from);
            requests.add(request);
            for (byte[] answer : script.answer(request)) {
                socket.send(new DatagramPacket(answer, answer.length, from));
            }
        }
    }

    /**
     * What an honest tracker answers, written out byte by byte from BEP 15 (not with
     * {@link UdpPackets}, so a layout mistake there cannot hide): a connection id; to an announce
     * interval 1800, 3 leechers, 4 seeders and {@code peers}; to a scrape 5 seeders, 6 completed, 7 leechers.
     */
    static List<byte[]> honest(Request request, byte[] peers) {
        int tx = request.transactionId();
        return switch (request.action()) {
            case 0 -> List.of(ByteBuffer.allocate(16).putInt(0).putInt(tx).putLong(CONNECTION_ID).array());
            case 1 -> List.of(ByteBuffer.allocate(20 + peers.length)
                    .putInt(1).putInt(tx).putInt(1800).putInt(3).putInt(4).put(peers).array());
            case 2 -> List.of(ByteBuffer.allocate(20).putInt(2).putInt(tx).putInt(5).putInt(6).putInt(7).array());
            default -> List.of();
        };
    }

    @Override
    public void close() {
        socket.close();
        otherPort.close();
        scope.close();
    }
}
