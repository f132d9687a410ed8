package pyto.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import pyto.metainfo.Metainfo;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.storage.CheckResult;
import pyto.storage.Storage;

/**
 * What a torrent has once its metadata is known (BEP 3): the metainfo, the files on disk
 * ({@link Storage}) and which pieces we have and want ({@link PiecePicker}). A torrent made
 * from a .torrent file has it from the start; one made from a magnet link gets it when the
 * metadata arrives (BEP 9). Thread-safe: its parts are.
 */
final class TorrentContent {

    private static final System.Logger LOG = System.getLogger(TorrentContent.class.getName());

    private final Metainfo metainfo;
    private final Storage storage;
    private final PiecePicker picker;
    private final AtomicLong checkedBytes = new AtomicLong();

    /** Touches nothing on disk yet. */
    TorrentContent(Metainfo metainfo, Path downloadDir) throws IOException {
        this.metainfo = metainfo;
        this.storage = new Storage(metainfo, downloadDir);
        this.picker = new PiecePicker(PieceGeometry.of(metainfo), new Random());
    }

    /**
     * The resume check: which pieces are already on disk (from an earlier run or another
     * client). On the caller's thread; interrupting it stops the check.
     */
    void check() throws IOException, InterruptedException {
        CheckResult result = storage.check((done, total) -> checkedBytes.set(done));
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            if (result.has(piece)) {
                picker.onPieceVerified(piece);
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} of {2} pieces already on disk",
                metainfo.name(), result.verifiedCount(), metainfo.pieceCount());
    }

    Metainfo metainfo() {
        return metainfo;
    }

    Storage storage() {
        return storage;
    }

    PiecePicker picker() {
        return picker;
    }

    /** While checking: how far the check has come. */
    long checkedBytes() {
        return checkedBytes.get();
    }
}
