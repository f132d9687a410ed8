package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static pyto.daemon.DaemonFixture.decimal;
import static pyto.daemon.DaemonFixture.number;
import static pyto.daemon.DaemonFixture.string;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.TorrentCreator;
import pyto.piece.Bitfield;

/**
 * The remote control's methods against a running daemon and a seeder on loopback, as
 * Transmission's clients call them: add (base64 metainfo, a path, a magnet link; a duplicate),
 * get with the fields transmission-remote asks for, stop and start, limits, verify, remove
 * with the data, the session's settings, statistics and free space, and the refusals: files
 * pyto cannot leave out, a directory outside the download roots.
 */
class DaemonRpcTest {

    @TempDir
    Path dir;
    DaemonFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Json.Obj add(Json.Obj args) throws Exception {
        return fixture.call("torrent-add", args);
    }

    private static int idOf(Json.Obj added) {
        Json.Obj t = (Json.Obj) added.get("torrent-added").or(() -> added.get("torrent-duplicate")).orElseThrow();
        return (int) number(t, "id");
    }

    @Test
    void aTorrentAddedAsMetainfoDownloadsAndShowsWhatTransmissionRemoteAsksFor() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 300_000, 120_001);
        fixture.seeder();
        fixture.startDaemon();

        Json.Obj added = add(Json.object().put("metainfo", fixture.base64Torrent()).build());
        Json.Obj info = (Json.Obj) added.get("torrent-added").orElseThrow();
        assertThat(number(info, "id")).isEqualTo(1);
        assertThat(string(info, "name")).isEqualTo("payload");
        assertThat(string(info, "hashString")).isEqualTo(fixture.metainfo.infoHash().hex());

        await().atMost(Duration.ofSeconds(30)).until(() -> number(fixture.torrent(1, "status"), "status") == 6);
        await().atMost(Duration.ofSeconds(5)).until(() -> number(fixture.torrent(1, "doneDate"), "doneDate") > 0);
        Json.Obj t = fixture.torrent(1, "id", "hashString", "name", "status", "percentDone", "totalSize", "sizeWhenDone",
                "leftUntilDone", "haveValid", "downloadedEver", "uploadRatio", "error", "errorString", "downloadDir",
                "addedDate", "doneDate", "isFinished", "magnetLink", "pieceCount", "pieceSize", "pieces", "files",
                "fileStats", "priorities", "wanted", "peers", "trackerStats", "eta", "rateDownload", "peersConnected",
                "labels", "no-such-field");
        long total = fixture.metainfo.totalLength();
        assertThat(decimal(t, "percentDone")).isEqualTo(1.0);
        assertThat(number(t, "totalSize")).isEqualTo(total);
        assertThat(number(t, "leftUntilDone")).isZero();
        assertThat(number(t, "haveValid")).isEqualTo(total);
        assertThat(number(t, "downloadedEver")).isGreaterThanOrEqualTo(total);
        assertThat(number(t, "error")).isZero();
        assertThat(string(t, "downloadDir")).isEqualTo(fixture.downloads().toRealPath().toString());
        assertThat(number(t, "doneDate")).isGreaterThanOrEqualTo(number(t, "addedDate")).isPositive();
        assertThat(MagnetLink.parse(string(t, "magnetLink")).infoHash()).isEqualTo(fixture.metainfo.infoHash());
        assertThat(number(t, "pieceCount")).isEqualTo(fixture.metainfo.pieceCount());
        assertThat(number(t, "pieceSize")).isEqualTo(16 * 1024);
        assertThat(Bitfield.fromBytes(Base64.getDecoder().decode(string(t, "pieces")), fixture.metainfo.pieceCount())
                .cardinality()).isEqualTo(fixture.metainfo.pieceCount());
        List<Json> files = ((Json.Arr) t.get("files").orElseThrow()).items();
        assertThat(files).hasSize(2);
        assertThat(string((Json.Obj) files.get(0), "name")).isEqualTo("payload/file0.bin");
        assertThat(number((Json.Obj) files.get(0), "bytesCompleted")).isEqualTo(300_000);
        assertThat(string((Json.Obj) files.get(1), "name")).isEqualTo("payload/sub/file1.bin");
        assertThat(t.get("wanted")).contains(Json.array(List.of(Json.of(1), Json.of(1))));
        List<Json> trackers = ((Json.Arr) t.get("trackerStats").orElseThrow()).items();
        assertThat(string((Json.Obj) trackers.getFirst(), "announce")).isEqualTo(fixture.tracker.announceUrl());
        assertThat(t.has("no-such-field")).as("unknown fields are left out").isFalse();
        fixture.assertSameData(fixture.downloads());

        Json.Obj again = add(Json.object().put("metainfo", fixture.base64Torrent()).build());
        assertThat(again.has("torrent-duplicate")).isTrue();
        assertThat(idOf(again)).isEqualTo(1);
    }

    @Test
    void aPathAndAMagnetLinkAreAddedToo() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 100_000);
        var seeder = fixture.seeder();
        fixture.startDaemon();
        Path file = Files.write(dir.resolve("payload.torrent"), fixture.torrentBytes);

        int byPath = idOf(add(Json.object().put("filename", file.toString()).put("paused", true).build()));
        assertThat(number(fixture.torrent(byPath, "status"), "status")).as("added paused").isZero();
        fixture.call("torrent-remove", Json.object().put("ids", byPath).build());

        String magnet = MagnetLink.of(fixture.metainfo).uri() + "&x.pe=127.0.0.1:" + seeder.port();
        int byMagnet = idOf(add(Json.object().put("filename", magnet).build()));
        assertThat(byMagnet).as("ids are never used twice").isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> number(fixture.torrent(byMagnet, "status"), "status") == 6);
        assertThat(string(fixture.torrent(byMagnet, "name"), "name")).isEqualTo("payload");
        await().atMost(Duration.ofSeconds(5)).until(() ->
                Files.exists(fixture.state().resolve("torrents").resolve(fixture.metainfo.infoHash().hex() + ".torrent")));

        assertThatThrownBy(() -> add(Json.object().put("filename", "http://example.com/a.torrent").build()))
                .isInstanceOf(RpcException.class).hasMessageContaining("does not fetch .torrent files from URLs");
        assertThatThrownBy(() -> add(Json.object().put("filename", dir.resolve("none.torrent").toString()).build()))
                .hasMessageStartingWith("invalid or corrupt torrent file");
        assertThatThrownBy(() -> add(Json.object().put("metainfo", "bm90IGEgdG9ycmVudA==").build()))
                .hasMessageStartingWith("invalid or corrupt torrent file");
    }

    @Test
    void stopStartLimitsAndRatioGoals() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 100_000);
        fixture.startDaemon();
        int id = idOf(add(Json.object().put("metainfo", fixture.base64Torrent()).build()));

        fixture.call("torrent-stop", Json.object().put("ids", Json.array(List.of(Json.of(fixture.metainfo.infoHash().hex()))))
                .build());
        assertThat(number(fixture.torrent(id, "status"), "status")).isZero();
        fixture.call("torrent-start", Json.object().put("ids", id).build());
        assertThat(number(fixture.torrent(id, "status"), "status")).isIn(2L, 4L);

        fixture.call("torrent-set", Json.object().put("ids", id).put("downloadLimit", 100).put("downloadLimited", true)
                .put("uploadLimit", 50).put("uploadLimited", true).put("seedRatioLimit", 2.5).put("seedRatioMode", 1).build());
        Json.Obj t = fixture.torrent(id, "downloadLimit", "downloadLimited", "uploadLimit", "uploadLimited",
                "seedRatioLimit", "seedRatioMode");
        assertThat(number(t, "downloadLimit")).isEqualTo(100);
        assertThat(t.get("downloadLimited")).contains(Json.of(true));
        assertThat(number(t, "uploadLimit")).isEqualTo(50);
        assertThat(decimal(t, "seedRatioLimit")).isEqualTo(2.5);
        assertThat(number(t, "seedRatioMode")).isEqualTo(1);
        assertThat(fixture.daemon.torrents().registry().byId(id).orElseThrow().torrent().limits().downloadBytesPerSecond())
                .isEqualTo(100_000);

        fixture.call("torrent-set", Json.object().put("ids", id).put("files-wanted", Json.array(List.of(Json.of(0))))
                .put("priority-normal", Json.array(List.of())).build()); // asks for what is so already
        for (String refused : List.of("files-unwanted", "priority-high", "priority-low")) {
            assertThatThrownBy(() -> fixture.call("torrent-set", Json.object().put("ids", id)
                    .put(refused, Json.array(List.of(Json.of(0)))).build()))
                    .isInstanceOf(RpcException.class).hasMessageContaining("cannot leave files out or set priorities");
        }
        assertThatThrownBy(() -> fixture.call("torrent-set", Json.object().put("ids", id).put("location", "/tmp").build()))
                .hasMessage("pyto cannot set location yet");
        assertThatThrownBy(() -> fixture.call("torrent-set-location", Json.object().put("ids", id).build()))
                .hasMessageContaining("does not support torrent-set-location");
        fixture.call("torrent-reannounce", Json.object().put("ids", id).build());
    }

    @Test
    void removeWithItsDataDeletesTheFilesAndTheSavedState() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 100_000, 50_000);
        fixture.seeder();
        fixture.startDaemon();
        int id = idOf(add(Json.object().put("metainfo", fixture.base64Torrent()).build()));
        await().atMost(Duration.ofSeconds(30)).until(() -> number(fixture.torrent(id, "status"), "status") == 6);
        Path mine = Files.writeString(fixture.downloads().resolve("payload").resolve("notes.txt"), "the user's own");
        Path state = fixture.state().resolve("torrents");
        assertThat(state.resolve(fixture.metainfo.infoHash().hex() + ".json")).exists();

        fixture.call("torrent-remove", Json.object().put("ids", id).put("delete-local-data", true).build());

        assertThat(fixture.downloads().resolve("payload/file0.bin")).doesNotExist();
        assertThat(fixture.downloads().resolve("payload/sub")).doesNotExist();
        assertThat(mine).as("a file the torrent does not list stays").exists();
        assertThat(state.resolve(fixture.metainfo.infoHash().hex() + ".json")).doesNotExist();
        assertThat(state.resolve(fixture.metainfo.infoHash().hex() + ".torrent")).doesNotExist();
        Json.Obj listed = fixture.call("torrent-get", Json.object().put("fields", Json.array(List.of(Json.of("id"))))
                .put("ids", "recently-active").build());
        assertThat(listed.get("torrents")).contains(Json.array(List.of()));
        assertThat(listed.get("removed")).contains(Json.array(List.of(Json.of(id))));
    }

    @Test
    void aDownloadDirectoryOutsideTheRootsIsRefused() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 10_000);
        fixture.startDaemon();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(fixture.downloads().resolve("escape"), outside);

        for (String bad : List.of(outside.toString(), fixture.downloads() + "/../outside", fixture.downloads() + "/escape",
                fixture.downloads() + "/escape/deeper", "relative/dir", "/etc")) {
            assertThatThrownBy(() -> add(Json.object().put("metainfo", fixture.base64Torrent()).put("download-dir", bad).build()))
                    .as(bad).isInstanceOf(RpcException.class).hasMessageContaining("download directory");
            assertThatThrownBy(() -> fixture.call("session-set", Json.object().put("download-dir", bad).build()))
                    .as(bad).hasMessageContaining("download directory");
        }
        assertThat(fixture.daemon.torrents().all()).isEmpty();
        Path inside = fixture.downloads().resolve("movies/new");
        int id = idOf(add(Json.object().put("metainfo", fixture.base64Torrent()).put("download-dir", inside.toString()).build()));
        assertThat(string(fixture.torrent(id, "downloadDir"), "downloadDir")).isEqualTo(fixture.downloads().toRealPath()
                .resolve("movies/new").toString());
        assertThatThrownBy(() -> fixture.call("free-space", Json.object().put("path", "/").build()))
                .hasMessageContaining("outside the download roots");
        assertThat(number(fixture.call("free-space", Json.object().put("path", fixture.downloads().toString()).build()),
                "size-bytes")).isPositive();
    }

    @Test
    void aNameWithHtmlComesBackAsJsonText() throws Exception {
        Path evil = Files.createDirectories(dir.resolve("src"));
        String name = "<img src=x onerror=alert(1)>&<b>";
        Files.writeString(evil.resolve(name), "data");
        byte[] torrent = TorrentCreator.create(evil.resolve(name), TorrentCreator.Options.defaults(), (d, t) -> { });
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 10_000);
        fixture.startDaemon();
        add(Json.object().put("metainfo", Base64.getEncoder().encodeToString(torrent)).put("paused", true).build());

        DaemonFixture.Raw raw = fixture.raw(fixture.rpcRequest(
                "{\"method\":\"torrent-get\",\"arguments\":{\"fields\":[\"name\",\"files\"]}}"));
        assertThat(raw.body()).doesNotContain("<", ">", "&")
                .contains("\\u003cimg src=x onerror=alert(1)\\u003e\\u0026\\u003cb\\u003e");
        assertThat(raw.headers().get("content-type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(string(fixture.torrent(1, "name"), "name")).isEqualTo(name);
    }

    @Test
    void theSessionsSettingsStatisticsAndClose() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 10_000);
        fixture.startDaemon();

        Json.Obj s = fixture.call("session-get", Json.object().build());
        assertThat(number(s, "rpc-version")).isEqualTo(16);
        assertThat(string(s, "version")).startsWith("3.00 (pyto ");
        assertThat(number(s, "peer-port")).isEqualTo(fixture.daemon.peerPort());
        assertThat(string(s, "session-id")).isNotBlank();

        fixture.call("session-set", Json.object().put("speed-limit-down", 300).put("speed-limit-down-enabled", true)
                .put("speed-limit-up", 200).put("speed-limit-up-enabled", true).put("dht-enabled", false).build());
        Json.Obj limits = fixture.call("session-get", Json.object().put("fields",
                Json.array(List.of(Json.of("speed-limit-down"), Json.of("speed-limit-up-enabled")))).build());
        assertThat(limits.members()).containsOnlyKeys("speed-limit-down", "speed-limit-up-enabled");
        assertThat(number(limits, "speed-limit-down")).isEqualTo(300);
        assertThat(fixture.daemon.session().limits().downloadBytesPerSecond()).isEqualTo(300_000);
        assertThat(fixture.daemon.session().limits().uploadBytesPerSecond()).isEqualTo(200_000);
        assertThat(Files.readString(fixture.state().resolve("settings.json"))).contains("\"speedLimitDown\":300");
        assertThatThrownBy(() -> fixture.call("session-set", Json.object().put("alt-speed-enabled", true)
                .put("speed-limit-up", 1).build())).hasMessage("pyto cannot change alt-speed-enabled");
        assertThat(fixture.daemon.session().limits().uploadBytesPerSecond()).as("nothing changed").isEqualTo(200_000);
        assertThatThrownBy(() -> fixture.call("session-set", Json.object().put("peer-port", 1).build()))
                .hasMessageContaining("restart the daemon with -p N");

        Json.Obj stats = fixture.call("session-stats", Json.object().build());
        assertThat(number(stats, "torrentCount")).isZero();
        assertThat(stats.get("cumulative-stats")).isPresent();

        assertThat(fixture.daemon.awaitCloseRequest(Duration.ZERO)).isFalse();
        fixture.call("session-close", Json.object().build());
        assertThat(fixture.daemon.awaitCloseRequest(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void verifyChecksEveryPieceAgain() throws Exception {
        fixture = DaemonFixture.create(dir, "payload", 16 * 1024, 100_000);
        fixture.startDaemon();
        Path data = Files.createDirectories(fixture.downloads().resolve("payload"));
        Files.copy(fixture.payload.resolve("file0.bin"), data.resolve("file0.bin"));
        int id = idOf(add(Json.object().put("metainfo", fixture.base64Torrent()).build()));
        await().atMost(Duration.ofSeconds(10)).until(() -> number(fixture.torrent(id, "status"), "status") == 6);
        byte[] bytes = Files.readAllBytes(data.resolve("file0.bin"));
        bytes[20_000] ^= 1; // piece 1
        Files.write(data.resolve("file0.bin"), bytes);

        fixture.call("torrent-verify", Json.object().put("ids", id).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> number(fixture.torrent(id, "status"), "status") == 4);
        assertThat(number(fixture.torrent(id, "leftUntilDone"), "leftUntilDone")).isEqualTo(16 * 1024);
        assertThat(new String(Base64.getDecoder().decode("AA=="), StandardCharsets.ISO_8859_1)).hasSize(1);
    }
}
