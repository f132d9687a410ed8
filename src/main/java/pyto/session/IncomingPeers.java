package pyto.session;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Function;
import pyto.concurrent.Acceptor;
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
 * <p>The accept loop ({@link Acceptor}) runs on a virtual thread in the session's scope, the
 * handshakes on others; at most {@value #MAX_INCOMING_HANDSHAKES} are read at once, so a flood
 * of half-open connections is shed rather than served, and a failed accept is retried.
 */
final class IncomingPeers {

    private static final System.Logger LOG = System.getLogger(IncomingPeers.class.getName());

    /** Handshakes being read from incoming connections at once; more are closed at once. */
    static final int MAX_INCOMING_HANDSHAKES = 32;

    private final ServerSocket listener;
    private final Scope scope;
    private final Function<InfoHash, Optional<Torrent>> torrents;

    IncomingPeers(ServerSocket listener, Scope scope, Function<InfoHash, Optional<Torrent>> torrents) {
        this.listener = listener;
        this.scope = scope;
        this.torrents = torrents;
    }

    /** Accepts peers until the listener is closed; on a thread of the session's scope. */
    void acceptLoop() throws InterruptedException {
        new Acceptor(listener, scope, "incoming peers", MAX_INCOMING_HANDSHAKES, Acceptor.WhenFull.SHED,
                this::handshake).run();
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
