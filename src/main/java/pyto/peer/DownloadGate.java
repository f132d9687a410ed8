package pyto.peer;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import pyto.wire.ProtocolException;

/**
 * The door between a connection and its download side ({@link PeerDownload}), which opens
 * once the torrent's pieces are known. A torrent started from a magnet link has peers before
 * it knows how many pieces it has (BEP 9): until then, what the peer says about its pieces is
 * kept as it came ({@link EarlyHaves}); when the door opens, the download side starts with
 * all of it, checked then.
 *
 * <p>The reader thread passes the peer's messages through; the swarm opens the door (under
 * its own lock) and closes it when the peer goes; other threads ask the download side for
 * work through it. A lock of its own guards the hand-over, so no message falls between the
 * early haves and the download side.
 */
final class DownloadGate {

    private static final System.Logger LOG = System.getLogger(DownloadGate.class.getName());

    /** What a message means while the pieces are not known: something to keep. */
    @FunctionalInterface
    interface Early {
        void keep(EarlyHaves early) throws ProtocolException;
    }

    /** What it means once they are: something for the download side to do. */
    @FunctionalInterface
    interface Now {
        void apply(PeerDownload download) throws IOException;
    }

    private final PeerConnection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private PeerDownload download;                // guarded by lock; null until the door opens
    private EarlyHaves early = new EarlyHaves();  // guarded by lock; null once it has
    private boolean gone;                         // guarded by lock
    private int requestQueue = -1;                // guarded by lock: the peer's reqq, for a side not made yet

    DownloadGate(PeerConnection connection) {
        this.connection = connection;
    }

    /** A message about the peer's pieces: kept while the door is shut, applied once it is open. */
    void on(Early whileShut, Now whenOpen) throws IOException {
        PeerDownload d;
        lock.lock();
        try {
            d = download;
            if (d == null && early != null) {
                whileShut.keep(early);
            }
        } finally {
            lock.unlock();
        }
        if (d != null) {
            whenOpen.apply(d);
        }
    }

    void onPeerChoking(boolean choking) throws IOException {
        on(e -> e.peerChoking(choking), d -> {
            if (choking) {
                d.onChoke();
            } else {
                d.onUnchoke();
            }
        });
    }

    /**
     * Opens the door: the download side starts, with what the peer said so far, which is
     * checked now. A peer whose early claims do not fit the torrent (a bitfield of the wrong
     * length, a piece past the end) lied, and is dropped. Once per connection.
     */
    void open(Swarm swarm, TorrentPieces pieces, PeerWriter writer) {
        lock.lock();
        try {
            if (gone || download != null) {
                return;
            }
            download = new PeerDownload(connection, swarm, pieces, writer);
            if (requestQueue > 0) {
                download.limitRequests(requestQueue);
            }
            EarlyHaves told = early;
            early = null;
            download.replay(told);
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.INFO, "{0}: dropped: {1}", connection, e.getMessage());
            connection.close();
        } finally {
            lock.unlock();
        }
    }

    /** The connection ended: the download side, if it started, for the swarm to take back its pieces and requests. */
    PeerDownload close() {
        lock.lock();
        try {
            gone = true;
            return download;
        } finally {
            lock.unlock();
        }
    }

    /** BEP 10 {@code reqq}: never more requests outstanding than the peer queues. */
    void limitRequests(int queue) {
        lock.lock();
        try {
            requestQueue = queue;
        } finally {
            lock.unlock();
        }
        ifOpen(d -> d.limitRequests(queue));
    }

    /** Runs {@code action} on the download side if the door is open; nothing happens before. */
    void ifOpen(Consumer<PeerDownload> action) {
        PeerDownload d = current();
        if (d != null) {
            action.accept(d);
        }
    }

    /** The download side, or null while the door is shut. */
    PeerDownload current() {
        lock.lock();
        try {
            return download;
        } finally {
            lock.unlock();
        }
    }
}
