package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.piece.Bitfield;

/**
 * The resume check with saved {@link ResumeData}: files with the size and time recorded are
 * taken as the data says without being read (proved by changing their bytes behind the
 * check's back, time kept), files that changed are hashed again, missing files lose their
 * pieces, and data that does not fit or claims bytes a file does not have counts for nothing.
 */
class ResumeDataCheckTest {

    @TempDir
    Path dir;

    private static final String ALL = "**********************";

    /** Writes the files, each with its own modification time (well apart: no clock granularity matters). */
    private void writeFiles(TestTorrent t) throws IOException {
        List<Path> files = t.writeFiles(dir);
        for (int i = 0; i < files.size(); i++) {
            Files.setLastModifiedTime(files.get(i), FileTime.from(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i)));
        }
    }

    /** Flips one byte of {@code name} at {@code offset}, then puts its modification time back. */
    private void corruptKeepingTime(String name, int offset) throws IOException {
        Path file = dir.resolve("t").resolve(name);
        FileTime time = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x01;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, time);
    }

    @Test
    void unchangedFilesAreTakenAsSavedWithoutBeingRead() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            ResumeData saved = new ResumeData(Bitfield.parse(ALL), storage.stamps());
            corruptKeepingTime("a", 3 * 1024); // piece 3: a check that read it would drop it
            List<Long> progress = new ArrayList<>();

            CheckResult trusted = storage.check(saved, (done, total) -> progress.add(done));
            CheckResult hashed = storage.check(ProgressListener.NONE);

            assertThat(TestTorrent.pieceMap(trusted)).as("with the resume data: nothing read").isEqualTo(ALL);
            assertThat(TestTorrent.pieceMap(hashed)).as("without it: every piece read").isEqualTo("***.******************");
            assertThat(progress).isSorted().last().isEqualTo(t.metainfo.totalLength());
        }
    }

    @Test
    void piecesInAChangedFileAreCheckedAgainAndTheRestTrusted() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            ResumeData saved = new ResumeData(Bitfield.parse(ALL), storage.stamps());
            corruptKeepingTime("a", 3 * 1024);             // unchanged in time: trusted, so piece 3 stays
            byte[] b = Files.readAllBytes(dir.resolve("t/b"));
            b[2 * 1024] ^= 0x01;                              // piece 12
            Files.write(dir.resolve("t/b"), b);
            Files.setLastModifiedTime(dir.resolve("t/b"), FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));

            assertThat(TestTorrent.pieceMap(storage.check(saved, ProgressListener.NONE))).isEqualTo("************.*********");
        }
    }

    @Test
    void aMissingFileTakesItsPiecesWithIt() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            ResumeData saved = new ResumeData(Bitfield.parse(ALL), storage.stamps());
            Files.delete(dir.resolve("t/c"));

            assertThat(TestTorrent.pieceMap(storage.check(saved, ProgressListener.NONE))).isEqualTo("*****************.....");
        }
    }

    @Test
    void piecesTheDataDoesNotCountStayMissingInUnchangedFiles() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            // Saved before pieces 0-4 were verified; the files have not changed since, so
            // whatever bytes are there were never verified: they are not counted.
            ResumeData saved = new ResumeData(Bitfield.parse(".....*****************"), storage.stamps());

            assertThat(TestTorrent.pieceMap(storage.check(saved, ProgressListener.NONE))).isEqualTo(".....*****************");
        }
    }

    @Test
    void aFileThatAppearedIsChecked() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            ResumeData saved = new ResumeData(new Bitfield(22), storage.stamps()); // nothing on disk yet
            writeFiles(t);

            assertThat(TestTorrent.pieceMap(storage.check(saved, ProgressListener.NONE))).isEqualTo(ALL);
        }
    }

    @Test
    void dataThatClaimsBytesAFileDoesNotHaveCountsForNothing() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            List<ResumeData.FileStamp> stamps = new ArrayList<>(storage.stamps());
            // A forged or stale state: c recorded (and now) 1 KiB long, but every piece "verified".
            Path c = dir.resolve("t/c");
            FileTime time = Files.getLastModifiedTime(c);
            Files.write(c, TestTorrent.randomBytes(1024, 9));
            Files.setLastModifiedTime(c, time);
            stamps.set(2, storage.stamps().get(2));
            ResumeData forged = new ResumeData(Bitfield.parse(ALL), stamps);

            assertThat(TestTorrent.pieceMap(storage.check(forged, ProgressListener.NONE)))
                    .as("pieces 18-21 lie past c's end: never counted").isEqualTo("******************....");
        }
    }

    @Test
    void dataOfAnotherShapeIsIgnored() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        corruptKeepingTime("a", 0);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            ResumeData wrongPieces = new ResumeData(Bitfield.parse(ALL + "*"), storage.stamps());
            ResumeData wrongFiles = new ResumeData(Bitfield.parse(ALL), storage.stamps().subList(0, 2));

            assertThat(TestTorrent.pieceMap(storage.check(wrongPieces, ProgressListener.NONE))).isEqualTo("." + ALL.substring(1));
            assertThat(TestTorrent.pieceMap(storage.check(wrongFiles, ProgressListener.NONE))).isEqualTo("." + ALL.substring(1));
        }
    }

    @Test
    void stampsRecordSizeAndTimeAndMissingFiles() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        writeFiles(t);
        Files.delete(dir.resolve("t/b"));
        try (Storage storage = new Storage(t.metainfo, dir)) {
            List<ResumeData.FileStamp> stamps = storage.stamps();

            assertThat(stamps.get(0)).isEqualTo(new ResumeData.FileStamp(10 * 1024,
                    Instant.parse("2024-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L));
            assertThat(stamps.get(1).missing()).isTrue();
            assertThat(stamps.get(2).size()).isEqualTo(4 * 1024 + 512);
        }
    }
}
