package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.MagnetLink;

/**
 * Peer exchange (BEP 11): a leecher that knows only one peer learns of the others from it.
 */
class PexIT {

    static final int PIECE = 32 * 1024;
    static final Duration ROUND = Duration.ofMillis(200);

    @TempDir
    Path dir;

    /**
     * A seeder, a middle peer that knows the seeder, and a newcomer that knows only the middle
     * peer, with no tracker. The middle peer never uploads (no upload slots), so the newcomer
     * can only finish by reaching the seeder, which only peer exchange can tell it of. The
     * middle peer downloads slowly, so that it is still connected to the seeder (a complete
     * peer lets seeds go) when the newcomer comes.
     */
    @Test
    void aLeecherFindsTheSeederThroughPeerExchange() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 800_000);
        try (swarm) {
            swarm.seeder();
            Session middle = swarm.session(c -> c.withChoking(0, ROUND).withPexInterval(Duration.ofSeconds(1)));
            middle.setLimits(new RateLimits(8 * 1024, 0));
            Torrent middleTorrent = middle.add(swarm.metainfo, swarm.dir("middle"));
            middleTorrent.addPeers(List.of(swarm.seederAddress()));

            Session newcomer = swarm.session(c -> c.withChoking(4, ROUND).withPexInterval(Duration.ofSeconds(1)));
            Torrent leecher = newcomer.add(MagnetLink.of(swarm.metainfo), swarm.dir("newcomer"));
            leecher.addPeers(List.of(TestSwarm.addressOf(middle)));

            assertThat(leecher.awaitCompletion(Duration.ofSeconds(30))).as("complete").isTrue();
            swarm.assertSameData(swarm.dir("newcomer"));
            assertThat(middleTorrent.status().uploaded()).as("the middle peer gave nothing").isZero();
            assertThat(leecher.status().knownPeers()).as("peers the newcomer heard of").isGreaterThanOrEqualTo(2);
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aPrivateTorrentExchangesNoPeers() throws Exception {
        TestSwarm swarm = TestSwarm.createPrivate(dir, PIECE, 300_000);
        try (swarm) {
            swarm.seeder();
            Session middle = swarm.session(c -> c.withChoking(0, ROUND).withPexInterval(Duration.ofSeconds(1)));
            middle.setLimits(new RateLimits(8 * 1024, 0));
            middle.add(swarm.metainfo, swarm.dir("middle")).addPeers(List.of(swarm.seederAddress()));
            Session newcomer = swarm.session(c -> c.withChoking(4, ROUND).withPexInterval(Duration.ofSeconds(1)));
            Torrent leecher = newcomer.add(swarm.metainfo, swarm.dir("newcomer"));
            leecher.addPeers(List.of(TestSwarm.addressOf(middle)));

            Thread.sleep(3000); // three peer exchange intervals
            assertThat(leecher.status().knownPeers()).as("only the peer it was given").isEqualTo(1);
            assertThat(leecher.status().completedBytes()).isZero();
        }
        swarm.assertNoThreadLeft();
    }
}
