package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.MetainfoParser;
import pyto.wire.ExtensionMessage;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionIds;
import pyto.wire.Handshake;
import pyto.wire.PeerMessage;

/**
 * Torrents started from a magnet link (BEP 9): the metadata comes from peers over the
 * extension protocol (BEP 10), and then the data, from the same peers.
 */
class MagnetIT {

    static final int PIECE = 32 * 1024;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aMagnetLinkGetsTheMetadataThenTheDataThroughATracker() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, true, 700_000, 300_001);
        try (swarm) {
            swarm.seeder();
            MagnetLink link = MagnetLink.of(swarm.metainfo); // the tracker of the torrent, nothing else
            assertThat(link.trackers()).hasSize(1);
            assertThat(link.peers()).isEmpty();

            Torrent leecher = swarm.session().add(link, swarm.dir("leecher"));
            assertThat(leecher.metainfo()).as("nothing known but the hash").isEmpty();
            assertThat(leecher.awaitCompletion(WAIT)).as("complete").isTrue();
            swarm.assertSameData(swarm.dir("leecher"));

            // The metadata was saved beside the data, as it came: a restart needs no exchange.
            Path saved = swarm.dir("leecher").resolve(swarm.metainfo.name() + ".torrent");
            assertThat(MetainfoParser.read(saved).infoHash()).isEqualTo(swarm.metainfo.infoHash());
            assertThat(leecher.metainfo()).get().extracting(m -> m.infoHash()).isEqualTo(swarm.metainfo.infoHash());
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aMagnetLinkWithAPeerAddressNeedsNoTracker() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 900_000);
        try (swarm) {
            swarm.seeder();
            MagnetLink viaLink = new MagnetLink(swarm.metainfo.infoHash(), Optional.of(swarm.metainfo.name()),
                    List.of(), List.of(swarm.seederAddress()), List.of(), List.of());
            Torrent fromLink = swarm.session().add(viaLink, swarm.dir("x.pe"));

            MagnetLink bare = new MagnetLink(swarm.metainfo.infoHash(), Optional.empty(), List.of(), List.of(),
                    List.of(), List.of());
            Torrent fromCommandLine = swarm.session().add(bare, swarm.dir("peer"));
            assertThat(fromCommandLine.name()).as("no name until the metadata comes").isEqualTo(swarm.metainfo.infoHash().hex());
            fromCommandLine.addPeers(List.of(swarm.seederAddress())); // as --peer does

            assertThat(fromLink.awaitCompletion(WAIT)).isTrue();
            assertThat(fromCommandLine.awaitCompletion(WAIT)).isTrue();
            swarm.assertSameData(swarm.dir("x.pe"));
            swarm.assertSameData(swarm.dir("peer"));
            assertThat(fromCommandLine.name()).isEqualTo(swarm.metainfo.name());
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aRestartOfTheSameMagnetLinkReadsTheSavedTorrentAndNeedsNoPeerForIt() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 400_000);
        try (swarm) {
            swarm.seeder();
            MagnetLink link = MagnetLink.of(swarm.metainfo);
            Session first = swarm.session();
            Torrent leecher = first.add(link, swarm.dir("leecher"));
            leecher.addPeers(List.of(swarm.seederAddress()));
            assertThat(leecher.awaitCompletion(WAIT)).isTrue();
            first.close();

            Torrent again = swarm.session().add(link, swarm.dir("leecher")); // no peer at all this time
            assertThat(again.metainfo()).as("known at once").isPresent();
            assertThat(again.awaitState(EnumSet.of(Torrent.State.SEEDING), WAIT)).isEqualTo(Torrent.State.SEEDING);
        }
        swarm.assertNoThreadLeft();
    }

    /**
     * Four peers, one of which serves metadata that does not match the info hash. It is asked
     * first (the others are not known yet), found out, dropped and banned; the metadata comes
     * from the others, and so does the data.
     */
    @Test
    void aPeerThatServesWrongMetadataIsBannedAndTheOthersServeTheRight() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 600_000, 200_000);
        byte[] wrong = swarm.metainfo.infoBytes();
        wrong[wrong.length / 2] ^= 1;
        AtomicInteger asked = new AtomicInteger();
        try (swarm; HostilePeer liar = HostilePeer.listen(swarm.metainfo, peer -> {
            peer.readHandshake();
            peer.sendHandshake();
            peer.send(ExtendedHandshake.of(ExtensionIds.OURS).withMetadataSize(wrong.length));
            peer.send(new PeerMessage.HaveAll());
            try {
                while (true) {
                    var message = peer.poll(HostilePeer.PATIENCE);
                    if (message.isEmpty()) {
                        return false;
                    }
                    if (message.get() instanceof MetadataRequest(int piece)) {
                        asked.incrementAndGet();
                        int from = piece * ExtensionMessage.METADATA_PIECE_SIZE;
                        peer.send(new MetadataData(piece, wrong.length, java.util.Arrays.copyOfRange(wrong, from,
                                Math.min(wrong.length, from + ExtensionMessage.METADATA_PIECE_SIZE))));
                    }
                }
            } catch (IOException closed) {
                return true;
            }
        }, Handshake.Extension.EXTENSION_PROTOCOL, Handshake.Extension.FAST)) {
            swarm.seeder();
            swarm.seeder();
            swarm.seeder();
            Torrent leecher = swarm.session().add(MagnetLink.of(swarm.metainfo), swarm.dir("leecher"));
            leecher.addPeers(List.of(liar.address()));
            await().atMost(WAIT).until(() -> asked.get() > 0 && liar.dropped() > 0);
            assertThat(leecher.state()).as("still fetching the metadata").isEqualTo(Torrent.State.METADATA);

            leecher.addPeers(swarm.sessions.subList(0, 3).stream().map(TestSwarm::addressOf).toList());
            assertThat(leecher.awaitCompletion(WAIT)).as("complete").isTrue();
            swarm.assertSameData(swarm.dir("leecher"));
            assertThat(liar.connections()).as("the liar was not dialled again").isEqualTo(1);
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aMagnetWhoseMetadataNeverComesKeepsTryingAndStopsCleanly() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 100_000);
        try (swarm) {
            swarm.seeder(); // a peer of another torrent: it turns us away
            InfoHash unknown = new InfoHash(new byte[20]);
            Torrent lost = swarm.session().add(new MagnetLink(unknown, Optional.of("lost"), List.of(),
                    List.of(swarm.seederAddress()), List.of(), List.of()), swarm.dir("lost"));
            Thread.sleep(1500);
            assertThat(lost.state()).isEqualTo(Torrent.State.METADATA);
            assertThat(lost.status().totalBytes()).isZero();
            assertThat(Files.exists(swarm.dir("lost"))).as("nothing written").isFalse();
        }
        swarm.assertNoThreadLeft();
    }
}
