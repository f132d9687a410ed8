package pyto.dht;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A hand-driven UDP socket on 127.0.0.1 for hostile tests: sends raw bytes or KRPC messages to
 * a node, reads what comes back; or, started as a liar, answers every query with whatever a
 * test says. Its thread is stopped by {@link #close()}.
 */
final class RawNode implements AutoCloseable {

    final DatagramSocket socket;
    final NodeId id;
    private Thread liar;

    RawNode(NodeId id) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(TestNetwork.LOOPBACK, 0));
        this.id = id;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(TestNetwork.LOOPBACK, socket.getLocalPort());
    }

    void send(byte[] bytes, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    void send(String latin1, InetSocketAddress to) throws IOException {
        send(latin1.getBytes(StandardCharsets.ISO_8859_1), to);
    }

    void send(KrpcMessage message, InetSocketAddress to) throws IOException {
        send(KrpcCodec.encode(message), to);
    }

    /**
     * The next answer (response or error) within {@code wait}, or empty. Queries are skipped: the
     * node pings back nodes that query it, and this one never answers. Junk is a test failure.
     */
    Optional<KrpcMessage> receive(Duration wait) throws IOException {
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Optional.empty();
            }
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.setSoTimeout((int) left);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            KrpcMessage m = KrpcCodec.decode(java.util.Arrays.copyOf(buffer, packet.getLength()));
            if (!(m instanceof KrpcMessage.Query)) {
                return Optional.of(m);
            }
        }
    }

    KrpcMessage exchange(KrpcMessage query, InetSocketAddress to) throws IOException {
        send(query, to);
        return receive(Duration.ofSeconds(2)).orElseThrow(() -> new AssertionError("no answer to " + query));
    }

    /** Answers every query from now on with the bytes {@code answer} makes of it (null: silence). */
    void lie(BiFunction<KrpcMessage.Query, InetSocketAddress, byte[]> answer) {
        liar = Thread.ofVirtual().name("liar").start(() -> {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.setSoTimeout(0);
                    socket.receive(packet);
                    KrpcMessage m = KrpcCodec.decode(java.util.Arrays.copyOf(buffer, packet.getLength()));
                    if (m instanceof KrpcMessage.Query q) {
                        byte[] reply = answer.apply(q, (InetSocketAddress) packet.getSocketAddress());
                        if (reply != null) {
                            send(reply, (InetSocketAddress) packet.getSocketAddress());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // closed, or junk: go on until closed
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        if (liar != null) {
            liar.interrupt();
            liar.join(Duration.ofSeconds(5));
        }
    }
}
