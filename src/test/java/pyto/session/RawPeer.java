package pyto.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import pyto.metainfo.Metainfo;
import pyto.wire.ExtensionIds;
import pyto.wire.Handshake;
import pyto.wire.MessageCodec;
import pyto.wire.PeerId;
import pyto.wire.PeerMessage;

/**
 * One end of a peer connection (BEP 3) on a plain socket, that a test drives message by
 * message: whatever pyto's own connection code would refuse to do (send garbage, lie about
 * pieces, stay silent), this does on request. Only {@code pyto.wire} is used, for the
 * handshake and the message codec. Used by one test thread at a time.
 */
final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final MessageCodec codec;
    private final Handshake ours;
    private final int pieceCount;
    private Handshake theirs;

    private RawPeer(Socket socket, Metainfo metainfo, PeerId id, Handshake.Extension... extensions) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        this.codec = new MessageCodec(metainfo.pieceCount());
        Handshake handshake = Handshake.of(metainfo.infoHash(), id);
        for (Handshake.Extension e : extensions) {
            handshake = handshake.with(e);
        }
        this.ours = handshake;
        this.pieceCount = metainfo.pieceCount();
        socket.setSoTimeout(10_000); // a test never waits for ever
    }

    /**
     * Connects to {@code address} and exchanges handshakes, as a dialling peer does, announcing
     * {@code extensions} in the reserved bits.
     */
    static RawPeer dial(InetSocketAddress address, Metainfo metainfo, PeerId id, Handshake.Extension... extensions)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 5_000);
            RawPeer peer = new RawPeer(socket, metainfo, id, extensions);
            peer.sendHandshake();
            peer.readHandshake();
            return peer;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A connection that pyto dialled; nothing is read or sent yet. */
    static RawPeer accepted(Socket socket, Metainfo metainfo, PeerId id, Handshake.Extension... extensions)
            throws IOException {
        return new RawPeer(socket, metainfo, id, extensions);
    }

    int pieceCount() {
        return pieceCount;
    }

    Handshake readHandshake() throws IOException {
        theirs = Handshake.read(in);
        return theirs;
    }

    /** The handshake the other side sent, once read. */
    Handshake lastHandshake() {
        return theirs;
    }

    void sendHandshake() throws IOException {
        ours.write(out);
        out.flush();
    }

    /** Sends a message; extension messages go under pyto's ids ({@link ExtensionIds#OURS}), as pyto advertises them. */
    void send(PeerMessage message) throws IOException {
        codec.write(out, message, ExtensionIds.OURS);
        out.flush();
    }

    /** Bytes as they are, framed or not. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next message, or empty if none comes within {@code timeout}. */
    Optional<PeerMessage> poll(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return Optional.of(codec.read(in));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    /** The next message; fails if none comes within {@code timeout}. */
    PeerMessage read(Duration timeout) throws IOException {
        return poll(timeout).orElseThrow(() -> new AssertionError("no message within " + timeout));
    }

    /**
     * Reads and drops whatever comes until the other side closes the connection; true if it
     * did within {@code timeout}, false if it was still open then.
     */
    boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[16 * 1024];
        while (true) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (EOFException | SocketException e) {
                return true; // reset by the peer: closed all the same
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
