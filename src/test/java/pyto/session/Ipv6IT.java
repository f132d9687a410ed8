package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

/**
 * IPv6 peers (BEP 7): a tracker on ::1 hands out the seeder as a 18-byte {@code peers6}
 * entry, and the leecher connects to it over IPv6. Skipped where the machine has no ::1.
 */
class Ipv6IT {

    @TempDir
    Path dir;

    @Test
    void leecherFindsAndDownloadsFromAnIpv6Seeder() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(canBind(v6), "this machine has no IPv6 loopback (::1); skipping");

        Path seedDir = Files.createDirectories(dir.resolve("seed"));
        byte[] data = new byte[700_000];
        new Random(6).nextBytes(data);
        Files.write(seedDir.resolve("v6.bin"), data);

        try (TrackerServer tracker = TrackerServer.start(new InetSocketAddress(v6, 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(1)))) {
            Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(seedDir.resolve("v6.bin"),
                    TorrentCreator.Options.defaults().withTrackerTiers(List.of(List.of(tracker.announceUrl())))
                            .withPieceLength(32 * 1024),
                    (done, total) -> { }));
            assertThat(tracker.announceUrl()).startsWith("http://[");
            Session.Config config = Session.Config.defaults().withBind(v6).withPort(0).withDht(DhtSettings.OFF)
                    .withAnnouncer(TestSwarm.FAST_ANNOUNCES);
            try (Session seeder = Session.start(config); Session leecherSession = Session.start(config)) {
                seeder.add(metainfo, seedDir);
                Torrent leecher = leecherSession.add(metainfo, dir.resolve("leech"));
                assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).isTrue();
                assertThat(Files.mismatch(seedDir.resolve("v6.bin"), dir.resolve("leech/v6.bin"))).isEqualTo(-1);
            }
        }
    }

    private static boolean canBind(InetAddress address) {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
