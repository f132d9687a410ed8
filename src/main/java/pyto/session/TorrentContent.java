package pyto.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import pyto.metainfo.Metainfo;
import pyto.piece.Bitfield;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.storage.CheckResult;
import pyto.storage.ProgressListener;
import pyto.storage.ResumeData;
import pyto.storage.Storage;

/**
 * What a torrent has once its metadata is known (BEP 3): the metainfo, the files on disk
 * ({@link Storage}) and which pieces we have and want ({@link PiecePicker}). A torrent made
 * from a .torrent file has it from the start; one made from a magnet link gets it when the
 * metadata arrives (BEP 9). Thread-safe: its parts are.
 *
 * <p>Its public face is what a program that keeps torrents across restarts needs: the verified
 * pieces, and {@link ResumeData} to save and give back to the next start, so that its first
 * check reads only the files that changed.
 */
public final class TorrentContent {

    private static final System.Logger LOG = System.getLogger(TorrentContent.class.getName());

    private final Metainfo metainfo;
    private final Storage storage;
    private final PiecePicker picker;
    private final AtomicLong checkedBytes = new AtomicLong();
    private volatile ResumeData trusted; // what a saved state said, for the first check
    private volatile boolean checked;    // the first check has ended: the picker knows what is verified

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
        ProgressListener progress = (done, total) -> checkedBytes.set(done);
        ResumeData data = trusted;
        CheckResult result = data == null ? storage.check(progress) : storage.check(data, progress);
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            if (result.has(piece)) {
                picker.onPieceVerified(piece);
            }
        }
        checked = true;
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} of {2} pieces already on disk",
                metainfo.name(), result.verifiedCount(), metainfo.pieceCount());
    }

    /** A saved state's word on the data: the first check takes unchanged files as it says, unread. */
    void trust(ResumeData data) {
        trusted = data;
    }

    /**
     * What to save so that a later start need not hash unchanged files: the verified pieces,
     * then the files flushed to disk, then their sizes and times ({@link ResumeData} says why
     * in that order). Until the first check has ended, the data this torrent was given (which
     * still holds: nothing was written since), or empty. Disk I/O: not on a peer's thread.
     */
    public Optional<ResumeData> resumeData() throws IOException {
        if (!checked) {
            return Optional.ofNullable(trusted);
        }
        Bitfield verified = picker.have();
        storage.flush();
        return Optional.of(new ResumeData(verified, storage.stamps()));
    }

    /** A copy of the pieces verified so far (none while the first check runs). */
    public Bitfield verifiedPieces() {
        return picker.have();
    }

    /** The pieces being downloaded now, for a piece map. */
    public Bitfield piecesInProgress() {
        return picker.inProgress();
    }

    /**
     * Whether the first check has ended, so that {@link #verifiedPieces()} tells what is on
     * disk; until then (a torrent added paused, say) only the resume data it was given does.
     */
    public boolean isChecked() {
        return checked;
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
