package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DiskErrorsTest {

    private static final Path FILE = Path.of("/dl/album/track.flac");

    @Test
    void aFullDiskSaysSoAndNamesTheFile() {
        IOException e = DiskErrors.describe(new IOException("No space left on device"), "writing", FILE);

        assertThat(e).hasMessage("No space left on device writing /dl/album/track.flac");
    }

    @Test
    void aRefusedPermissionSaysSoThoughTheJdkOnlyGivesThePath() {
        IOException e = DiskErrors.describe(new AccessDeniedException(FILE.toString()), "opening for writing", FILE);

        assertThat(e).hasMessage("Permission denied opening for writing /dl/album/track.flac");
    }

    @Test
    void theOperatingSystemsReasonIsUsedWhenThereIsOne() {
        IOException e = DiskErrors.describe(
                new FileSystemException(FILE.toString(), null, "Read-only file system"), "writing", FILE);

        assertThat(e).hasMessage("Read-only file system writing /dl/album/track.flac");
    }

    @Test
    void interruptsAndOurOwnClearErrorsPassThrough() {
        ClosedByInterruptException interrupt = new ClosedByInterruptException();
        MissingDataException missing = new MissingDataException("No such file: x");

        assertThat(DiskErrors.describe(interrupt, "reading", FILE)).isSameAs(interrupt);
        assertThat(DiskErrors.describe(missing, "reading", FILE)).isSameAs(missing);
    }
}
