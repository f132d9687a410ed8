package pyto.tracker;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;

/**
 * A socket's input that gives up at a deadline. A socket timeout alone bounds each read, so a
 * server that sends one byte every 29 seconds could hold a reader for hours; this stream sets the
 * timeout before every read to whichever comes first, the read timeout or the deadline.
 * Runs on the reading thread.
 */
final class DeadlineInputStream extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private final Instant deadline;
    private final Duration readTimeout;

    DeadlineInputStream(Socket socket, Instant deadline, Duration readTimeout) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = deadline;
        this.readTimeout = readTimeout;
    }

    /** {@code timeout} or the time left until {@code deadline}, in whole milliseconds, at least 1. */
    static int millis(Duration timeout, Instant deadline) throws SocketTimeoutException {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
            throw new SocketTimeoutException("no complete reply before the deadline");
        }
        return (int) Math.max(1, Math.min(Math.min(timeout.toMillis(), left), Integer.MAX_VALUE));
    }

    @Override
    public int read() throws IOException {
        socket.setSoTimeout(millis(readTimeout, deadline));
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        socket.setSoTimeout(millis(readTimeout, deadline));
        return in.read(b, off, len);
    }
}
