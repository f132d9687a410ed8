package pyto.peer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import pyto.concurrent.TokenBucket;

/**
 * A TCP connection to a peer with the buffered streams every later stage reads and writes
 * through. The streams are made once: the input buffer may already hold the first messages
 * that followed the handshake, so the handshake reader and the message loop must share it.
 *
 * <p>The reader thread uses {@link #in()}, the writer thread {@link #out()}; closing is safe
 * from any thread and wakes both.
 */
public final class PeerSocket implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final Socket socket;
    private final InetSocketAddress remote;
    private final ThrottledInput throttledIn;
    private final DataInputStream in;
    private final DataOutputStream out;

    public PeerSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        socket.setTcpNoDelay(true);
        this.throttledIn = new ThrottledInput(socket.getInputStream());
        this.in = new DataInputStream(new BufferedInputStream(throttledIn, BUFFER));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
    }

    /** The download limits this connection obeys from now on: every bucket given, for every byte read. */
    public void limitDownload(List<TokenBucket> download) {
        throttledIn.limit(download);
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

    /**
     * Bounds the next reads, e.g. while waiting for a handshake; {@link Duration#ZERO} for
     * none, once the connection is up and its silence is watched by {@link #lastReadMillis}.
     */
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** When the peer last sent us anything (the wall clock, in milliseconds). */
    public long lastReadMillis() {
        return throttledIn.lastReadMillis();
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
