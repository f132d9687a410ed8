package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.dht.DhtConfig;
import pyto.dht.DhtNode;
import pyto.metainfo.MagnetLink;

/**
 * Torrents that find their peers through the DHT (BEP 5) alone: no tracker, no peer given.
 */
class DhtIT {

    static final int PIECE = 32 * 1024;

    @TempDir
    Path dir;

    /** A small DHT on 127.0.0.1: a bootstrap node, and every session's own node. */
    private static DhtSettings dhtVia(DhtNode bootstrap) {
        return DhtSettings.defaults().withStateDirectory(Optional.empty())
                .withBootstrap(List.of(bootstrap.localAddress()))
                .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void aMagnetLinkWithNoTrackerAndNoPeerIsDownloadedFromPeersTheDhtFinds() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 600_000);
        try (swarm; DhtNode bootstrap = DhtNode.start(DhtConfig.of(InetAddress.getLoopbackAddress(), 0))) {
            Session seederSession = swarm.session(c -> c.withDht(dhtVia(bootstrap)));
            Torrent seeder = seederSession.add(swarm.metainfo, swarm.root.resolve("seed"));

            Session leecherSession = swarm.session(c -> c.withDht(dhtVia(bootstrap)));
            MagnetLink hashOnly = new MagnetLink(swarm.metainfo.infoHash(), Optional.empty(), List.of(), List.of(),
                    List.of(), List.of());
            Torrent leecher = leecherSession.add(hashOnly, swarm.dir("leecher"));

            assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).as("complete").isTrue();
            swarm.assertSameData(swarm.dir("leecher"));
            // Whichever found the other through the DHT dialled it: the leecher, or the seeder,
            // which finds the leecher that announced itself too.
            assertThat(leecher.status().dhtPeers() + seeder.status().dhtPeers()).as("peers the DHT found").isPositive();
            assertThat(leecher.status().dhtNodes()).as("nodes the leecher's DHT knows").isPositive();
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aPrivateTorrentNeverAsksTheDht() throws Exception {
        TestSwarm swarm = TestSwarm.createPrivate(dir, PIECE, 300_000);
        try (swarm; DhtNode bootstrap = DhtNode.start(DhtConfig.of(InetAddress.getLoopbackAddress(), 0))) {
            Session seeder = swarm.session(c -> c.withDht(dhtVia(bootstrap)));
            seeder.add(swarm.metainfo, swarm.root.resolve("seed"));
            Session leecherSession = swarm.session(c -> c.withDht(dhtVia(bootstrap)));
            Torrent leecher = leecherSession.add(swarm.metainfo, swarm.dir("leecher"));

            Thread.sleep(3000);
            assertThat(leecher.status().dhtPeers()).isZero();
            assertThat(bootstrap.status().infoHashes()).as("torrents announced to the bootstrap node").isZero();
            assertThat(leecher.status().completedBytes()).isZero();
        }
        swarm.assertNoThreadLeft();
    }
}
