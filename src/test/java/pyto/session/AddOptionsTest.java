package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.storage.ResumeData;

/**
 * Adding a torrent with {@link AddOptions}: resume data taken from one session and given to
 * the next makes the next one trust unchanged files without reading them, and a torrent added
 * paused does nothing until it is resumed.
 */
class AddOptionsTest {

    @TempDir
    Path dir;

    @Test
    void resumeDataFromOneSessionSparesTheNextOneTheCheck() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 16 * 1024, false, 300_000, 100_001);
        ResumeData saved;
        try (swarm; Session first = TestSwarm.loopbackSession()) {
            Torrent t = first.add(swarm.metainfo, swarm.dir("seed"));
            assertThat(t.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10))).isEqualTo(Torrent.State.SEEDING);
            saved = t.content().orElseThrow().resumeData().orElseThrow();
            assertThat(saved.verified().cardinality()).isEqualTo(swarm.metainfo.pieceCount());
        }
        // One byte changed, its time put back: only a check that reads the file would notice.
        Path file = swarm.payload.resolve("file0.bin");
        FileTime time = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(1000);
            int b = raf.read();
            raf.seek(1000);
            raf.write(b ^ 1);
        }
        Files.setLastModifiedTime(file, time);

        try (Session second = TestSwarm.loopbackSession(); Session third = TestSwarm.loopbackSession()) {
            Torrent trusting = second.add(swarm.metainfo, swarm.dir("seed"), AddOptions.DEFAULTS.withResumeData(saved));
            Torrent checking = third.add(swarm.metainfo, swarm.dir("seed"));
            assertThat(trusting.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10)))
                    .as("trusted: complete without reading").isEqualTo(Torrent.State.SEEDING);
            assertThat(checking.awaitState(Set.of(Torrent.State.DOWNLOADING), Duration.ofSeconds(10)))
                    .as("checked: the changed byte costs its piece").isEqualTo(Torrent.State.DOWNLOADING);
            assertThat(checking.status().completedBytes()).isEqualTo(swarm.metainfo.totalLength() - 16 * 1024);
        }
    }

    @Test
    void resumeDataBeforeTheFirstCheckIsWhatTheTorrentWasGiven() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 16 * 1024, false, 100_000);
        try (swarm; Session s = TestSwarm.loopbackSession()) {
            Torrent t = s.add(swarm.metainfo, swarm.dir("seed"), AddOptions.DEFAULTS.withPaused(true));
            assertThat(t.content().orElseThrow().resumeData()).as("not checked, nothing given").isEmpty();
        }
    }

    @Test
    void aTorrentAddedPausedWaitsForResume() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, 16 * 1024, false, 100_000);
        try (swarm; Session s = TestSwarm.loopbackSession()) {
            Torrent t = s.add(swarm.metainfo, swarm.dir("seed"), AddOptions.DEFAULTS.withPaused(true));
            Thread.sleep(300);
            assertThat(t.state()).isEqualTo(Torrent.State.PAUSED);
            assertThat(t.status().completedBytes()).as("not even checked").isZero();

            s.resume(t.infoHash());
            assertThat(t.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10))).isEqualTo(Torrent.State.SEEDING);
        }
        swarm.assertNoThreadLeft();
    }
}
