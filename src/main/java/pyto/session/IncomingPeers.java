package pyto.session;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import pyto.concurrent.Scope;
import pyto.metainfo.InfoHash;
import pyto.peer.Handshakes;
import pyto.peer.PeerSocket;
import pyto.wire.Handshake;

/**
 * The peers that connect to us (BEP 3): accepted on the session's listening socket, each on
 * a virtual thread of its own that reads the handshake's head, which names the torrent by
 * its info hash, and hands the connection to that torrent. One port serves every torrent of
 * the session.
 *
 * <p>The accept loop runs on a virtual thread in the session's scope, the handshakes on
 * others; at most {@value #MAX_INCOMING_HANDSHAKES} are read at once, so a flood of
 * half-open connections is shed rather than served.
 */
final class IncomingPeers {

    private static final System.Logger LOG = System.getLogger(IncomingPeers.class.getName());

    /** Handshakes being read from incoming connections at once; more wait in the kernel's backlog. */
    static final int MAX_INCOMING_HANDSHAKES = 32;
    static final Duration FIRST_ACCEPT_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_ACCEPT_BACKOFF = Duration.ofSeconds(2);

    private final ServerSocket listener;
    private final Scope scope;
    private final Function<InfoHash, Optional<Torrent>> torrents;
    private final Semaphore incoming = new Semaphore(MAX_INCOMING_HANDSHAKES);

    IncomingPeers(ServerSocket listener, Scope scope, Function<InfoHash, Optional<Torrent>> torrents) {
        this.listener = listener;
        this.scope = scope;
        this.torrents = torrents;
    }

    /**
     * Accepts peers until the listener is closed. A failed accept (the process is out of file
     * descriptors, say) is logged once and retried after a pause that doubles up to
     * {@link #MAX_ACCEPT_BACKOFF}: giving up would leave the session deaf to every incoming
     * peer, and retrying at once would spin on a core.
     */
    void acceptLoop() throws InterruptedException {
        Duration backoff = Duration.ZERO;
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                if (backoff.isZero()) {
                    LOG.log(System.Logger.Level.WARNING, "cannot accept incoming peers: {0}; retrying", e.getMessage());
                }
                backoff = backoff.isZero() ? FIRST_ACCEPT_BACKOFF : min(backoff.multipliedBy(2), MAX_ACCEPT_BACKOFF);
                Thread.sleep(backoff);
                continue;
            }
            if (!backoff.isZero()) {
                LOG.log(System.Logger.Level.INFO, "accepting incoming peers again");
                backoff = Duration.ZERO;
            }
            if (!incoming.tryAcquire()) {
                close(null, socket); // a flood of half-open connections: shed it
                continue;
            }
            try {
                scope.fork("incoming " + socket.getRemoteSocketAddress(), () -> handshake(socket));
            } catch (IllegalStateException closing) {
                incoming.release();
                close(null, socket);
                return;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Reads which torrent an incoming peer wants and hands it over. */
    private void handshake(Socket raw) {
        PeerSocket socket = null;
        try {
            socket = new PeerSocket(raw);
            Handshake.Head head = Handshakes.readIncomingHead(socket);
            Optional<Torrent> torrent = torrents.apply(head.infoHash());
            if (torrent.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "{0} asked for a torrent we do not have", socket);
                socket.close();
                return;
            }
            torrent.get().accept(socket, head);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "incoming {0}: {1}", raw.getRemoteSocketAddress(), e.getMessage());
            close(socket, raw);
        } finally {
            incoming.release();
        }
    }

    private static void close(PeerSocket socket, Socket raw) {
        if (socket != null) {
            socket.close();
        } else {
            try {
                raw.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
