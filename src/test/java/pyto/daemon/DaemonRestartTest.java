package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pyto.daemon.DaemonFixture.decimal;
import static pyto.daemon.DaemonFixture.number;
import static pyto.daemon.DaemonFixture.string;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.TestFiles;
import pyto.metainfo.MagnetLink;

/**
 * A daemon stopped and started again on the same state directory: every torrent comes back
 * as it was (running or paused, its limits, its ratio goal, its directory and dates), the
 * session's settings too; files whose size and time are as saved are trusted unread, a
 * changed file is checked again, a missing one loses its pieces; a corrupt state file is
 * skipped and the rest starts.
 */
class DaemonRestartTest {

    static final int PIECE = 16 * 1024;

    @TempDir
    Path dir;
    DaemonFixture fixture;
    Path data;

    @BeforeEach
    void completeTorrent() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", PIECE, 100_000, 60_000);
        fixture.startDaemon();
        data = Files.createDirectories(fixture.downloads().resolve("payload"));
        TestFiles.copyTree(fixture.payload, data);
        fixture.call("torrent-add", Json.object().put("metainfo", fixture.base64Torrent()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> number(fixture.torrent(1, "status"), "status") == 6);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Flips one byte; with {@code keepTime} its modification time is put back, so only a read would notice. */
    private static void flipByte(Path file, long at, boolean keepTime) throws Exception {
        FileTime time = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 1);
        }
        Files.setLastModifiedTime(file, keepTime ? time : FileTime.fromMillis(time.toMillis() + 5_000));
    }

    @Test
    void everyTorrentComesBackAsItWasAndUnchangedFilesAreTrustedUnread() throws Exception {
        fixture.call("torrent-set", Json.object().put("ids", 1).put("uploadLimit", 70).put("uploadLimited", true)
                .put("seedRatioLimit", 3.0).put("seedRatioMode", 1).build());
        fixture.call("session-set", Json.object().put("speed-limit-down", 400).put("speed-limit-down-enabled", true).build());
        String magnet = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=waiting&x.pe=127.0.0.1:9";
        fixture.call("torrent-add", Json.object().put("filename", magnet).put("paused", true).build());
        fixture.call("torrent-stop", Json.object().put("ids", 1).build());
        long added = number(fixture.torrent(1, "addedDate"), "addedDate");
        fixture.stopDaemon();
        flipByte(data.resolve("file0.bin"), 5, true); // a read would find piece 0 wrong
        String hash = fixture.metainfo.infoHash().hex();

        fixture.startDaemon();

        Json.Obj paused = fixture.torrent(hash, "status", "percentDone", "haveValid");
        assertThat(number(paused, "status")).as("it was stopped: it stays so").isZero();
        assertThat(decimal(paused, "percentDone")).as("paused, unchecked: the saved resume data says").isEqualTo(1.0);
        fixture.call("torrent-start", Json.object().put("ids", Json.array(List.of(Json.of(hash)))).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> number(fixture.torrent(hash, "status"), "status") == 6);
        Json.Obj t = fixture.torrent(hash, "name", "percentDone", "uploadLimit", "uploadLimited", "seedRatioLimit",
                "seedRatioMode", "addedDate", "doneDate", "downloadDir");
        assertThat(decimal(t, "percentDone")).as("trusted, not read").isEqualTo(1.0);
        assertThat(number(t, "uploadLimit")).isEqualTo(70);
        assertThat(decimal(t, "seedRatioLimit")).isEqualTo(3.0);
        assertThat(number(t, "addedDate")).isEqualTo(added);
        assertThat(number(t, "doneDate")).isPositive();
        Json.Obj m = fixture.torrent("ab".repeat(20), "name", "status", "magnetLink");
        assertThat(string(m, "name")).isEqualTo("waiting");
        assertThat(number(m, "status")).as("still paused").isZero();
        assertThat(MagnetLink.parse(string(m, "magnetLink")).infoHash().hex()).isEqualTo("ab".repeat(20));
        assertThat(fixture.daemon.session().limits().downloadBytesPerSecond()).isEqualTo(400_000);
        Json.Obj listed = fixture.call("torrent-get", Json.object().put("fields", Json.array(List.of(Json.of("id"),
                Json.of("name")))).build());
        assertThat(listed.get("torrents")).as("in the order they were added").contains(Json.array(List.of(
                Json.object().put("id", 1).put("name", "payload").build(),
                Json.object().put("id", 2).put("name", "waiting").build())));
    }

    @Test
    void aChangedFileIsCheckedAgainAndAMissingOneLosesItsPieces() throws Exception {
        fixture.stopDaemon();
        flipByte(data.resolve("file0.bin"), PIECE + 5, false); // piece 1, and the time moves
        Files.delete(data.resolve("sub/file1.bin"));           // the last pieces

        fixture.startDaemon();

        await().atMost(Duration.ofSeconds(10)).until(() -> number(fixture.torrent(1, "status"), "status") == 4);
        long firstPieceOfFile1 = 100_000 / PIECE; // piece 6 holds the end of file0 and the start of file1
        long missing = PIECE + (fixture.metainfo.totalLength() - firstPieceOfFile1 * PIECE);
        assertThat(number(fixture.torrent(1, "leftUntilDone"), "leftUntilDone")).isEqualTo(missing);
    }

    @Test
    void aCorruptStateFileIsSkippedAndTheRestStarts() throws Exception {
        String magnet = "magnet:?xt=urn:btih:" + "cd".repeat(20) + "&dn=other";
        fixture.call("torrent-add", Json.object().put("filename", magnet).put("paused", true).build());
        fixture.stopDaemon();
        Path state = fixture.state().resolve("torrents").resolve(fixture.metainfo.infoHash().hex() + ".json");
        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // as a full disk might have left it

        fixture.startDaemon();

        Json.Obj all = fixture.call("torrent-get", Json.object().put("fields", Json.array(List.of(Json.of("name")))).build());
        assertThat(all.get("torrents")).contains(Json.array(List.of(Json.object().put("name", "other").build())));
        Json.Obj again = fixture.call("torrent-add", Json.object().put("metainfo", fixture.base64Torrent()).build());
        assertThat(again.has("torrent-added")).as("the skipped torrent can be added again").isTrue();
    }
}
