package pyto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import pyto.metainfo.Metainfo;
import pyto.piece.Bitfield;
import pyto.wire.Handshake;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;

/**
 * A misbehaving peer for tests: it listens on 127.0.0.1, a pyto torrent dials it (through
 * {@code Torrent.addPeers}), and each connection runs a {@link Script} of bad behaviour on a
 * {@link RawPeer}. It counts the connections pyto made and how many of them pyto dropped (closed
 * from its side), and when.
 *
 * <p>Runs on plain virtual threads of its own (the accept loop and one per connection), not on a
 * pyto {@code Scope}; {@link #close()} ends them.
 */
final class HostilePeer implements AutoCloseable {

    /** What the peer does on one connection that pyto opened. */
    @FunctionalInterface
    interface Script {
        /** @return true if pyto closed the connection, false if it was still open when the script gave up */
        boolean run(RawPeer peer) throws IOException;
    }

    /** How long a script waits for pyto to react before it gives up. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    final PeerId id = PeerId.generate();
    private final Metainfo metainfo;
    private final Script script;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<Long> droppedAfterMillis = new CopyOnWriteArrayList<>();

    private final Handshake.Extension[] extensions;

    private HostilePeer(Metainfo metainfo, Script script, ServerSocket listener, Handshake.Extension... extensions) {
        this.metainfo = metainfo;
        this.script = script;
        this.listener = listener;
        this.extensions = extensions;
    }

    /** @param extensions what the peer announces in its handshake's reserved bits */
    static HostilePeer listen(Metainfo metainfo, Script script, Handshake.Extension... extensions) throws IOException {
        HostilePeer peer = new HostilePeer(metainfo, script,
                new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), extensions);
        peer.threads.execute(peer::acceptLoop);
        return peer;
    }

    // ---- scripts ----------------------------------------------------------------------------

    /** Claims every piece, unchokes at once, and answers every request with random bytes. */
    static Script corruptData() {
        return peer -> {
            peer.readHandshake();
            peer.sendHandshake();
            Random random = new Random();
            int pieces = peer.pieceCount();
            peer.send(new PeerMessage.Bitfield(Bitfield.full(pieces).toBytes()));
            peer.send(new PeerMessage.Unchoke());
            try {
                while (true) {
                    var message = peer.poll(PATIENCE);
                    if (message.isEmpty()) {
                        return false;
                    }
                    if (message.get() instanceof PeerMessage.Request(int piece, int begin, int length)) {
                        byte[] garbage = new byte[length];
                        random.nextBytes(garbage);
                        peer.send(new PeerMessage.Piece(piece, begin, garbage));
                    }
                }
            } catch (IOException closed) {
                return true;
            }
        };
    }

    /** A proper handshake, then {@code bytes} as they are; then waits to be dropped. */
    static Script handshakeThen(byte[] bytes) {
        return peer -> {
            peer.readHandshake();
            peer.sendHandshake();
            peer.sendRaw(bytes);
            return peer.awaitClosed(PATIENCE);
        };
    }

    /** Accepts the connection and says nothing at all, not even a handshake. */
    static Script silent() {
        return peer -> peer.awaitClosed(PATIENCE);
    }

    // ---- what the test observes -------------------------------------------------------------

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** Connections pyto opened to this peer. */
    int connections() {
        return connections.get();
    }

    /** Connections pyto closed from its side. */
    int dropped() {
        return dropped.get();
    }

    /** For each dropped connection, how long after pyto connected it closed it. */
    List<Long> droppedAfterMillis() {
        return List.copyOf(droppedAfterMillis);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                threads.execute(() -> converse(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket socket) {
        long start = System.nanoTime();
        try (RawPeer peer = RawPeer.accepted(socket, metainfo, id, extensions)) {
            if (script.run(peer)) {
                droppedAfterMillis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
                dropped.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            // the script broke off: it did not see a drop it could count
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        threads.shutdownNow();
        threads.close();
    }
}
