package pyto.peer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A TCP connection to a peer with the buffered streams every later stage reads and writes
 * through. The streams are made once: the input buffer may already hold the first messages
 * that followed the handshake, so the handshake reader and the message loop must share it.
 *
 * <p>The reader thread uses {@link #in()}, the writer thread {@link #out()}; closing is safe
 * from any thread and wakes both.
 */
public final class PeerSocket implements AutoCloseable {

    /** A peer that sends nothing at all for this long is gone (keep-alives come every 2 minutes at most). */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2).plusSeconds(10);

    private static final int BUFFER = 64 * 1024;

    private final Socket socket;
    private final InetSocketAddress remote;
    private final DataInputStream in;
    private final DataOutputStream out;

    /**
     * @param throttle wraps the raw streams, e.g. in rate limiters; {@code UnaryOperator.identity()} for none
     */
    public PeerSocket(Socket socket, Throttle throttle) throws IOException {
        this.socket = socket;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
        this.in = new DataInputStream(new BufferedInputStream(throttle.input().apply(socket.getInputStream()), BUFFER));
        this.out = new DataOutputStream(new BufferedOutputStream(throttle.output().apply(socket.getOutputStream()), BUFFER));
    }

    /** How the raw socket streams are wrapped before buffering (rate limits). */
    public record Throttle(UnaryOperator<InputStream> input, UnaryOperator<OutputStream> output) {
        public static final Throttle NONE = new Throttle(UnaryOperator.identity(), UnaryOperator.identity());
    }

    public DataInputStream in() {
        return in;
    }

    public DataOutputStream out() {
        return out;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    /** Bounds the next reads, e.g. while waiting for a handshake; the idle timeout otherwise. */
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to tell the peer
        }
    }

    @Override
    public String toString() {
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
