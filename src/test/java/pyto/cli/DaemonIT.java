package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.TestFiles;
import pyto.daemon.Json;
import pyto.daemon.RpcClient;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.session.SlowLink;
import pyto.tracker.TrackerServer;
import pyto.tracker.Trackers;

/**
 * {@code pyto daemon} run as its users run it, a process of its own driven over its remote
 * control. Killed with SIGKILL half-way through a download, it starts again from its saved
 * state and finishes, fetching nothing it had verified. Stopped cleanly (SIGTERM) with a
 * complete torrent, it tells the tracker, and when started again seeds at once without reading
 * its data (its resume check says so), and a leecher gets every byte from it.
 */
class DaemonIT {

    static final int PIECE = 64 * 1024;
    static final long RATE = 2L << 20;
    static final String PASSWORD = "it-password";

    @TempDir
    Path dir;

    private Path payload(String name) throws Exception {
        Path payload = Files.createDirectories(dir.resolve("seed").resolve(name));
        Random random = new Random(3);
        for (String file : new String[] {"a.bin", "b.bin"}) {
            byte[] data = new byte[2_000_000 + random.nextInt(100_000)];
            random.nextBytes(data);
            Files.write(payload.resolve(file), data);
        }
        return payload;
    }

    private PytoProcess daemon(String log, int peerPort, int rpcPort) throws Exception {
        PytoProcess p = PytoProcess.start(dir, log, "daemon", "--state", dir.resolve("state").toString(),
                "-d", dir.resolve("dl").toString(), "-p", Integer.toString(peerPort),
                "--rpc-port", Integer.toString(rpcPort), "--rpc-password", PASSWORD, "--no-dht");
        PytoProcess.awaitPort(rpcPort);
        return p;
    }

    private static RpcClient client(int rpcPort) {
        return new RpcClient(URI.create("http://127.0.0.1:" + rpcPort + "/transmission/rpc"),
                Optional.of("pyto:" + PASSWORD), Duration.ofSeconds(20));
    }

    private static Json.Obj status(RpcClient client) throws Exception {
        Json.Obj reply = client.call("torrent-get", Json.object().put("fields", Json.array(List.of(
                Json.of("status"), Json.of("percentDone"), Json.of("haveValid")))).build());
        List<Json> torrents = ((Json.Arr) reply.get("torrents").orElseThrow()).items();
        assertThat(torrents).hasSize(1);
        return (Json.Obj) torrents.getFirst();
    }

    private static long number(Json.Obj o, String name) {
        return ((Json.Num) o.get(name).orElseThrow()).value().longValue();
    }

    @Test
    void aDaemonKilledHalfWayStartsAgainAndFinishesWithoutFetchingWhatItHad() throws Exception {
        Path payload = payload("payload");
        byte[] torrentBytes = TorrentCreator.create(payload,
                TorrentCreator.Options.defaults().withPieceLength(PIECE), (done, total) -> { });
        Path torrent = Files.write(dir.resolve("payload.torrent"), torrentBytes);
        Metainfo metainfo = MetainfoParser.parse(torrentBytes);
        long total = metainfo.totalLength();
        int seedPort = PytoProcess.freePort();
        int rpcPort = PytoProcess.freePort();

        try (PytoProcess seeder = PytoProcess.start(dir, "seeder", "seed", torrent.toString(),
                "-d", dir.resolve("seed").toString(), "-p", Integer.toString(seedPort))) {
            PytoProcess.awaitPeer(seedPort, metainfo.infoHash());
            try (SlowLink link = SlowLink.to(new InetSocketAddress("127.0.0.1", seedPort), RATE)) {
                // A magnet link whose only peer is the link: the daemon keeps the link, and so the
                // peer, in its saved state, and dials it again when it starts again.
                String magnet = MagnetLink.of(metainfo).uri() + "&x.pe=127.0.0.1:" + link.address().getPort();
                long verifiedAtKill;
                try (PytoProcess first = daemon("daemon-1", 0, rpcPort)) {
                    RpcClient client = client(rpcPort);
                    client.call("torrent-add", Json.object().put("filename", magnet).build());
                    await().atMost(Duration.ofSeconds(30)).failFast("daemon ended", () -> !first.isAlive())
                            .until(() -> link.delivered() >= total * 2 / 5);
                    verifiedAtKill = number(status(client), "haveValid"); // more may verify before the kill: fine
                    first.kill();
                }
                assertThat(verifiedAtKill).as("bytes verified before the kill").isPositive().isLessThan(total);

                try (PytoProcess second = daemon("daemon-2", 0, rpcPort)) {
                    RpcClient client = client(rpcPort);
                    // Once its check is done (status 1 and 2 are Transmission's "checking"), the
                    // restarted daemon knows at least what the killed one had verified: none of
                    // it is fetched again. (Bytes in flight are no measure: the kernel's socket
                    // buffers held hundreds of KiB that the killed daemon never read.)
                    await().atMost(Duration.ofSeconds(30)).failFast("daemon ended", () -> !second.isAlive())
                            .until(() -> number(status(client), "status") > 2);
                    assertThat(number(status(client), "haveValid")).as("verified after the restart\n%s", second.transcript())
                            .isGreaterThanOrEqualTo(verifiedAtKill);
                    try {
                        await().atMost(Duration.ofSeconds(60)).failFast("daemon ended", () -> !second.isAlive())
                                .until(() -> number(status(client), "status") == 6);
                    } catch (ConditionTimeoutException e) {
                        throw new AssertionError("not seeding: " + status(client) + "\n" + second.transcript(), e);
                    }
                    assertThat(number(status(client), "haveValid")).isEqualTo(total);
                }
            }
            assertThat(seeder.isAlive()).as(seeder.transcript()).isTrue();
        }
        PytoProcess.assertSameTree(payload, dir.resolve("dl").resolve("payload"));
    }

    @Test
    void aCleanRestartSeedsAgainAtOnceWithoutReadingItsData() throws Exception {
        Path payload = payload("complete");
        try (TrackerServer tracker = TrackerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(2)).withUdpPort(TrackerServer.Config.UDP_OFF))) {
            byte[] torrentBytes = TorrentCreator.create(payload, TorrentCreator.Options.defaults().withPieceLength(PIECE)
                    .withTrackerTiers(List.of(List.of(tracker.announceUrl()))), (done, total) -> { });
            Metainfo metainfo = MetainfoParser.parse(torrentBytes);
            Path torrent = Files.write(dir.resolve("complete.torrent"), torrentBytes);
            TestFiles.copyTree(dir.resolve("seed"), dir.resolve("dl"));
            int peerPort = PytoProcess.freePort();
            int rpcPort = PytoProcess.freePort();

            try (PytoProcess first = daemon("daemon-1", peerPort, rpcPort)) {
                client(rpcPort).call("torrent-add", Json.object()
                        .put("metainfo", Base64.getEncoder().encodeToString(torrentBytes)).build());
                await().atMost(Duration.ofSeconds(30)).until(() -> number(status(client(rpcPort)), "status") == 6);
                await().atMost(Duration.ofSeconds(10)).until(() -> seeders(tracker, metainfo) == 1);
                long start = System.nanoTime();
                first.close(); // SIGTERM
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped within a few seconds")
                        .isLessThan(Duration.ofSeconds(5));
                assertThat(first.exitCode()).as(first.transcript()).isNotEqualTo(137);
                assertThat(first.stderr()).contains("telling the trackers and saving the state", "pyto: stopped");
            }
            assertThat(seeders(tracker, metainfo)).as("the tracker heard 'stopped'").isZero();

            try (PytoProcess second = daemon("daemon-2", peerPort, rpcPort)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> number(status(client(rpcPort)), "status") == 6);
                assertThat(second.stderr()).as("the resume check read nothing")
                        .contains(metainfo.pieceCount() + " pieces taken from the resume data unread, 0 checked (0 bytes read)");
                try (PytoProcess leecher = PytoProcess.start(dir, "leecher", "download", torrent.toString(),
                        "-d", dir.resolve("leecher").toString(), "-p", "0", "--ratio", "0",
                        "--peer", "127.0.0.1:" + peerPort)) {
                    assertThat(leecher.awaitExit(60)).as(leecher.transcript()).isZero();
                }
            }
            PytoProcess.assertSameTree(payload, dir.resolve("leecher").resolve("complete"));
        }
    }

    private static int seeders(TrackerServer tracker, Metainfo metainfo) throws Exception {
        return Trackers.forUrl(tracker.announceUrl()).orElseThrow().scrape(metainfo.infoHash()).complete();
    }
}
