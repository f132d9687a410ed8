package pyto.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoException;

/**
 * The metadata of a torrent started from a magnet link (BEP 9): the swarm fetches it from
 * peers and hands it over here, on a peer's thread; the torrent's main task waits for it,
 * then makes it the torrent's metainfo (with the link's trackers) and saves it as
 * {@code NAME.torrent} next to the data, so that the next start of the same link needs no
 * exchange. A lock guards the hand-over.
 */
final class MetadataArrival {

    private static final System.Logger LOG = System.getLogger(MetadataArrival.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private byte[] infoBytes; // guarded by lock

    /** The swarm has the metadata, and its SHA-1 is the link's info hash. */
    void arrived(byte[] bytes) {
        lock.lock();
        try {
            infoBytes = bytes;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the metadata (interrupting the thread ends the wait), then parses and saves
     * it. Metadata whose hash is right but that pyto cannot use (a v2-only torrent, say) is
     * an {@code IOException} that says why.
     */
    Metainfo await(MagnetLink link, Path downloadDir) throws InterruptedException, IOException {
        byte[] bytes;
        lock.lock();
        try {
            while (infoBytes == null) {
                arrived.await();
            }
            bytes = infoBytes;
        } finally {
            lock.unlock();
        }
        Metainfo metainfo;
        try {
            metainfo = link.toMetainfo(bytes);
        } catch (MetainfoException e) {
            throw new IOException("the metadata peers sent cannot be used: " + e.getMessage(), e);
        }
        try {
            Path saved = SavedTorrents.save(downloadDir, metainfo);
            LOG.log(System.Logger.Level.INFO, "{0}: metadata received ({1} bytes), saved as {2}",
                    metainfo.name(), bytes.length, saved);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: could not save the metadata as a .torrent: {1}",
                    metainfo.name(), e.getMessage());
        }
        return metainfo;
    }
}
