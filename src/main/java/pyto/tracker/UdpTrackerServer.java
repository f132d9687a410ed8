package pyto.tracker;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The embedded tracker's UDP side (BEP 15): one socket, and one virtual thread that reads a
 * datagram, answers it through {@link UdpEndpoints} and reads the next. Each datagram is a
 * small, bounded piece of work (one announce, or at most 74 scrape counts), so one thread keeps
 * up, and a flood only overflows the socket's receive buffer, where the kernel drops it.
 *
 * <p>{@link TrackerServer} binds it, forks {@link #serve()} into its scope and closes it, which
 * ends the loop; the two sides share one {@link SwarmRegistry}.
 */
final class UdpTrackerServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UdpTrackerServer.class.getName());

    /** The longest request: a scrape of 74 torrents is 1496 bytes; anything longer is cut here. */
    private static final int MAX_REQUEST = 2048;

    private final DatagramSocket socket;
    private final UdpEndpoints endpoints;

    private UdpTrackerServer(DatagramSocket socket, UdpEndpoints endpoints) {
        this.socket = socket;
        this.endpoints = endpoints;
    }

    /** Binds {@code address} (port 0 picks a free one); nothing is read until {@link #serve()} runs. */
    static UdpTrackerServer bind(InetSocketAddress address, UdpEndpoints endpoints) throws IOException {
        return new UdpTrackerServer(new DatagramSocket(address), endpoints);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Answers datagrams until the socket is closed (or the thread interrupted, which closes it). */
    void serve() {
        byte[] buffer = new byte[MAX_REQUEST];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "udp tracker receive failed: " + e);
                }
                continue;
            }
            InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
            Optional<byte[]> answer = endpoints.answer(ByteBuffer.wrap(buffer, 0, packet.getLength()).slice(), source);
            if (answer.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "ignored " + packet.getLength() + " bytes from " + source);
                continue;
            }
            try {
                socket.send(new DatagramPacket(answer.get(), answer.get().length, source));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "udp tracker reply to " + source + " failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
