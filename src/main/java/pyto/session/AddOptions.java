package pyto.session;

import java.util.Optional;
import pyto.storage.ResumeData;

/**
 * How {@link Session#add(pyto.metainfo.Metainfo, java.nio.file.Path, AddOptions)} adds a
 * torrent: with the resume data a saved state kept for it, and started or paused.
 *
 * @param resumeData what a saved state says is verified, so that the first check reads only the
 *                   files that changed since ({@link pyto.storage.Storage#check(ResumeData,
 *                   pyto.storage.ProgressListener)}); used only when the metainfo is known
 * @param paused     added without starting: no check, no tracker, no peer until {@link Session#resume}
 */
public record AddOptions(Optional<ResumeData> resumeData, boolean paused) {

    /** Started at once, every piece on disk checked. */
    public static final AddOptions DEFAULTS = new AddOptions(Optional.empty(), false);

    public AddOptions withResumeData(ResumeData data) {
        return new AddOptions(Optional.of(data), paused);
    }

    public AddOptions withPaused(boolean p) {
        return new AddOptions(resumeData, p);
    }
}
