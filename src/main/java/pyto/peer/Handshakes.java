package pyto.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import pyto.wire.Handshake;
import pyto.wire.ProtocolException;

/**
 * The opening of a peer connection (BEP 3): both sides send a 68-byte handshake, and each
 * checks that the other speaks of the same torrent and is not itself.
 *
 * <p>Runs on the thread that sets up the connection: a dialling task, or the session's
 * handler for an incoming socket. Every read here is bounded by {@link #TIMEOUT}.
 */
public final class Handshakes {

    /** How long a peer may take to connect and to answer a handshake. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Handshakes() {
    }

    /** The peer answered with our own peer id: the address was our own listening socket. */
    public static final class SelfConnectionException extends ProtocolException {
        SelfConnectionException() {
            super("connected to ourselves");
        }
    }

    /** A socket whose handshake is done, and what the peer said in it. */
    public record Opened(PeerSocket socket, Handshake remote) {
    }

    /**
     * Connects to {@code address}, sends {@code ours} and reads the answer. The socket is
     * closed on every failure.
     */
    public static Opened dial(InetSocketAddress address, Handshake ours) throws IOException {
        Socket raw = new Socket();
        PeerSocket socket = null;
        try {
            raw.connect(address, (int) TIMEOUT.toMillis());
            socket = new PeerSocket(raw);
            socket.readTimeout(TIMEOUT);
            ours.write(socket.out());
            socket.out().flush();
            Handshake theirs = Handshake.read(socket.in());
            check(ours, theirs);
            socket.readTimeout(Duration.ZERO); // from now on the torrent watches for silence
            return new Opened(socket, theirs);
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            } else {
                raw.close();
            }
            throw e;
        }
    }

    /**
     * Reads the start of an incoming handshake, up to the info hash, so the session can find
     * the torrent before answering.
     */
    public static Handshake.Head readIncomingHead(PeerSocket socket) throws IOException {
        socket.readTimeout(TIMEOUT);
        return Handshake.readHead(socket.in());
    }

    /** Answers an incoming handshake whose head named our torrent, and reads the peer id. */
    public static Handshake answer(PeerSocket socket, Handshake.Head head, Handshake ours) throws IOException {
        ours.write(socket.out());
        socket.out().flush();
        Handshake theirs = head.withPeerId(Handshake.readPeerId(socket.in()));
        check(ours, theirs);
        socket.readTimeout(Duration.ZERO); // from now on the torrent watches for silence
        return theirs;
    }

    private static void check(Handshake ours, Handshake theirs) throws ProtocolException {
        if (!theirs.infoHash().equals(ours.infoHash())) {
            throw new ProtocolException("peer answered for another torrent: " + theirs.infoHash());
        }
        if (theirs.peerId().equals(ours.peerId())) {
            throw new SelfConnectionException();
        }
    }
}
