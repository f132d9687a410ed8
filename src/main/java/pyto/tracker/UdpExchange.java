package pyto.tracker;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Request and answer with a UDP tracker (BEP 15) over one {@link DatagramSocket}, bound to an
 * ephemeral port of the tracker's address family. UDP loses packets, so a request is sent
 * again after {@code timeout * 2^n} without an answer, for n = 0, 1, ... up to the configured
 * maximum; after that wait it gives up. Everything is also bounded by an overall deadline.
 *
 * <p>Only the answer we wait for counts: a packet from another address or port, or with another
 * transaction id or action, is dropped and the wait goes on (a late answer to an earlier
 * request, or someone else's packet); one too short to say its action and transaction id too.
 *
 * <p>Runs on the caller's thread (an announcer's virtual thread). Interrupting it while it waits
 * closes the socket (the JDK does that for virtual threads) and ends the exchange with an
 * {@link InterruptedIOException}, the interrupt status kept.
 */
final class UdpExchange implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UdpExchange.class.getName());

    /** The largest UDP payload: no answer can be longer, so none is cut short. */
    private static final int MAX_DATAGRAM = 65_507;

    /** Makes the packet to send; asked again before each resend, as the connection id may have changed. */
    @FunctionalInterface
    interface PacketMaker {
        byte[] make() throws IOException;
    }

    /** An answer with the action asked for, or {@link UdpPackets#ERROR}; {@code body} is what follows the header. */
    record Answer(int action, ByteBuffer body) {
    }

    private final DatagramSocket socket;
    private final String url; // for messages
    private final InetSocketAddress tracker;
    private final Duration firstTimeout;
    private final int retransmissions;
    private final long deadline; // System.nanoTime()
    private final byte[] buffer = new byte[MAX_DATAGRAM];

    private UdpExchange(DatagramSocket socket, String url, InetSocketAddress tracker, Duration firstTimeout,
            int retransmissions, long deadline) {
        this.socket = socket;
        this.url = url;
        this.tracker = tracker;
        this.firstTimeout = firstTimeout;
        this.retransmissions = retransmissions;
        this.deadline = deadline;
    }

    /** A socket for talking to the tracker at {@code url}, resolved to {@code tracker}, until {@code budget} is spent. */
    static UdpExchange open(String url, InetSocketAddress tracker, Trackers.Config config, Duration budget)
            throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        InetAddress any = InetAddress.getByAddress(new byte[tracker.getAddress() instanceof Inet6Address ? 16 : 4]);
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(any, 0));
        return new UdpExchange(socket, url, tracker, config.udpTimeout(), config.udpRetransmissions(), deadline);
    }

    /**
     * Sends {@code packet} until an answer with {@code action} (or an error) and
     * {@code transactionId} comes back from the tracker.
     *
     * @throws SocketTimeoutException when no answer came after the last resend, or within the budget
     * @throws TrackerException when the answer is too short to hold what its action needs
     */
    Answer ask(int action, int transactionId, int minBody, PacketMaker packet) throws IOException {
        for (int n = 0; n <= retransmissions; n++) {
            byte[] bytes = packet.make();
            send(bytes);
            long waitUntil = System.nanoTime() + firstTimeout.multipliedBy(1L << n).toNanos();
            if (waitUntil - deadline > 0) {
                waitUntil = deadline;
            }
            Answer answer = await(action, transactionId, waitUntil);
            if (answer != null) {
                if (answer.action() == action && answer.body().remaining() < minBody) {
                    throw new TrackerException(url + " answered action " + action + " with "
                            + (answer.body().remaining() + UdpPackets.REPLY_HEADER) + " bytes, too short for it");
                }
                return answer;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new SocketTimeoutException("no answer from " + url + " within the time allowed");
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "no answer from " + url + ", resending");
        }
        throw new SocketTimeoutException("no answer from " + url + " after " + (retransmissions + 1) + " tries");
    }

    private void send(byte[] packet) throws IOException {
        try {
            socket.send(new DatagramPacket(packet, packet.length, tracker));
        } catch (SocketException e) {
            throw interruptedOr(e);
        }
    }

    /** The answer, or null when none came by {@code until}. */
    private Answer await(int action, int transactionId, long until) throws IOException {
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.ofNanos(left).toMillis())));
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                throw interruptedOr(e);
            }
            if (!tracker.equals(packet.getSocketAddress()) || packet.getLength() < UdpPackets.REPLY_HEADER) {
                LOG.log(System.Logger.Level.DEBUG, () -> "dropped " + packet.getLength() + " bytes from "
                        + packet.getSocketAddress() + " while waiting for " + url + " at " + tracker);
                continue;
            }
            ByteBuffer reply = ByteBuffer.wrap(Arrays.copyOf(buffer, packet.getLength()));
            int gotAction = reply.getInt();
            int gotTransaction = reply.getInt();
            if (gotTransaction == transactionId && (gotAction == action || gotAction == UdpPackets.ERROR)) {
                return new Answer(gotAction, reply.slice());
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "dropped an answer from " + url + " with action " + gotAction
                    + " and transaction " + gotTransaction + ", not " + action + " and " + transactionId);
        }
    }

    /** An interrupted virtual thread finds its socket closed: say it was the interrupt. */
    private IOException interruptedOr(SocketException e) {
        if (Thread.currentThread().isInterrupted()) {
            var interrupted = new InterruptedIOException("interrupted while talking to " + url);
            interrupted.initCause(e);
            return interrupted;
        }
        return e;
    }

    @Override
    public void close() {
        socket.close();
    }
}
