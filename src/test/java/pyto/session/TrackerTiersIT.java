package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.tracker.TrackerServer;
import pyto.tracker.TrackerStatus;

/**
 * BEP 12 tiers as a user meets them: the first tier's trackers are dead or broken, the
 * second works over UDP (BEP 15). The download goes on from the working tier, and the status
 * says what is wrong with the others.
 */
class TrackerTiersIT {

    @TempDir
    Path dir;

    @Test
    void deadAndBrokenTrackersDoNotStopAWorkingTier() throws Exception {
        Path seedDir = Files.createDirectories(dir.resolve("seed"));
        byte[] data = new byte[1_500_000];
        new Random(7).nextBytes(data);
        Files.write(seedDir.resolve("data.bin"), data);

        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort(); // closed again: nobody listens there
        }
        try (ServerSocket html = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TrackerServer tracker = TrackerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(1)))) {
            Thread htmlServer = Thread.ofVirtual().start(() -> serveHtmlErrors(html));
            List<List<String>> tiers = List.of(
                    List.of("http://127.0.0.1:" + deadPort + "/announce",
                            "http://127.0.0.1:" + html.getLocalPort() + "/announce"),
                    List.of(tracker.udpAnnounceUrl().orElseThrow()));
            Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(seedDir.resolve("data.bin"),
                    TorrentCreator.Options.defaults().withTrackerTiers(tiers).withPieceLength(64 * 1024),
                    (done, total) -> { }));

            try (Session seederSession = TestSwarm.loopbackSession();
                 Session leecherSession = TestSwarm.loopbackSession()) {
                seederSession.add(metainfo, seedDir);
                Torrent leecher = leecherSession.add(metainfo, dir.resolve("leech"));

                assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).isTrue();
                assertThat(Files.mismatch(seedDir.resolve("data.bin"), dir.resolve("leech/data.bin"))).isEqualTo(-1);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    List<TrackerStatus> trackers = leecher.status().trackers();
                    assertThat(trackers).hasSize(2);
                    assertThat(trackers.get(0).state()).isEqualTo(TrackerStatus.State.ERROR);
                    assertThat(trackers.get(0).error()).isPresent();
                    assertThat(trackers.get(1).state()).isEqualTo(TrackerStatus.State.WORKING);
                });
            } finally {
                htmlServer.interrupt();
            }
        }
    }

    /** A web server that answers every request with an HTML error page, as misconfigured trackers do. */
    private static void serveHtmlErrors(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                s.getInputStream().read(new byte[4096]);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
                        + "<html><body>502 Bad Gateway</body></html>").getBytes(StandardCharsets.US_ASCII));
            } catch (Exception e) {
                return;
            }
        }
    }
}
