package pyto.concurrent;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The accept loop of a server on plain blocking sockets: each connection is handled on a
 * virtual thread of its own, forked in the server's {@link Scope}, and at most so many are
 * handled at once. Beyond that, {@link WhenFull#WAIT} leaves newcomers in the kernel's backlog
 * until a connection ends (a tracker, the remote control), and {@link WhenFull#SHED} closes
 * them at once (incoming peers: a flood of half-open connections is not served late, it is
 * dropped). A failed accept (the process out of file descriptors, say) is logged once and
 * retried after a pause that doubles up to {@link #MAX_BACKOFF}: giving up would leave the
 * server deaf for good, and retrying at once would spin on a core.
 *
 * <p>{@link #run()} runs on a thread of the scope until the listener is closed.
 */
public final class Acceptor {

    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());

    static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** What becomes of a connection when the most are already being handled. */
    public enum WhenFull { WAIT, SHED }

    /** Handles one accepted connection, on its own thread; it closes the socket when done. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket connection) throws Exception;
    }

    private final ServerSocket listener;
    private final Scope scope;
    private final String what;
    private final Semaphore slots;
    private final WhenFull whenFull;
    private final Handler handler;

    /** @param what what the connections are, for thread names and the log ("incoming peers") */
    public Acceptor(ServerSocket listener, Scope scope, String what, int maxConcurrent, WhenFull whenFull,
                    Handler handler) {
        this.listener = listener;
        this.scope = scope;
        this.what = what;
        this.slots = new Semaphore(maxConcurrent);
        this.whenFull = whenFull;
        this.handler = handler;
    }

    /** Accepts until the listener is closed (or the thread interrupted). */
    public void run() throws InterruptedException {
        Duration backoff = Duration.ZERO;
        while (!listener.isClosed()) {
            if (whenFull == WhenFull.WAIT) {
                slots.acquire();
            }
            Socket connection;
            try {
                connection = listener.accept();
            } catch (IOException e) {
                if (whenFull == WhenFull.WAIT) {
                    slots.release();
                }
                if (listener.isClosed()) {
                    return;
                }
                if (backoff.isZero()) {
                    LOG.log(System.Logger.Level.WARNING, "cannot accept {0}: {1}; retrying", what, e.getMessage());
                }
                backoff = backoff.isZero() ? FIRST_BACKOFF
                        : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) < 0 ? backoff.multipliedBy(2) : MAX_BACKOFF;
                Thread.sleep(backoff);
                continue;
            }
            if (!backoff.isZero()) {
                LOG.log(System.Logger.Level.INFO, "accepting {0} again", what);
                backoff = Duration.ZERO;
            }
            if (whenFull == WhenFull.SHED && !slots.tryAcquire()) {
                closeQuietly(connection);
                continue;
            }
            try {
                scope.fork(what + " " + connection.getRemoteSocketAddress(), () -> {
                    try {
                        handler.handle(connection);
                    } finally {
                        slots.release();
                    }
                });
            } catch (IllegalStateException closing) {
                slots.release();
                closeQuietly(connection);
                return;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
