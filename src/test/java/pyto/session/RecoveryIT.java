package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.concurrent.Scope;
import pyto.wire.Handshake;
import pyto.wire.PeerId;

/**
 * What goes wrong does not leave a torrent or a session stuck: a failed accept does not end
 * the accept loop, a stopping run does not cost the dialler its permits, and a run that fails
 * says so.
 */
class RecoveryIT {

    static final int PIECE = 32 * 1024;

    @TempDir
    Path dir;

    /** A listener whose first accepts fail, as when the process is out of file descriptors. */
    private static final class FailingListener extends ServerSocket {
        private final AtomicInteger failuresLeft;

        FailingListener(int failures) throws IOException {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public Socket accept() throws IOException {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("Too many open files");
            }
            return super.accept();
        }
    }

    @Test
    void theSessionKeepsAcceptingPeersAfterAcceptFails() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 300_000);
        try (swarm) {
            Session session = Session.start(TestSwarm.loopbackConfig(), new FailingListener(3));
            swarm.sessions.add(session);
            Torrent seeder = session.add(swarm.metainfo, dir.resolve("seed"));
            assertThat(seeder.awaitState(EnumSet.of(Torrent.State.SEEDING), Duration.ofSeconds(10)))
                    .isEqualTo(Torrent.State.SEEDING);

            try (RawPeer peer = RawPeer.dial(TestSwarm.addressOf(session), swarm.metainfo, PeerId.generate())) {
                Handshake answer = peer.lastHandshake();
                assertThat(answer.infoHash()).as("the session answered the handshake").isEqualTo(swarm.metainfo.infoHash());
            }
        }
        swarm.assertNoThreadLeft();
    }

    @Test
    void aDialThatCannotStartGivesItsPermitBack() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 300_000);
        try (swarm) {
            Session session = swarm.session();
            Torrent leecher = session.add(swarm.metainfo, dir.resolve("leecher"));
            PeerDirectory directory = new PeerDirectory(System::currentTimeMillis);
            directory.add(List.of(new InetSocketAddress("127.0.0.1", 9), new InetSocketAddress("127.0.0.1", 10)));
            Dialer dialer = new Dialer(session, leecher.swarm(), directory);

            Scope stopped = new Scope("stopped run");
            stopped.cancel(); // the run is stopping: the scope refuses new tasks
            dialer.run(stopped);

            assertThat(dialer.freePermits()).as("dials that may start in the next run").isEqualTo(Dialer.MAX_HALF_OPEN);
        }
        swarm.assertNoThreadLeft();
    }

    /**
     * The data is all there, but an empty file of the torrent cannot be created (a directory
     * stands in its place): the run's main task fails, and the torrent must say so, not stay
     * "checking" for ever.
     */
    @Test
    void aRunThatFailsLeavesTheTorrentFailedWithTheReason() throws Exception {
        TestSwarm swarm = TestSwarm.create(dir, PIECE, false, 300_000, 0);
        try (swarm) {
            Path empty = swarm.payload.resolve("dir/file1.bin");
            Files.delete(empty);
            Files.createDirectories(empty);
            Torrent seeder = swarm.session().add(swarm.metainfo, dir.resolve("seed"));

            Torrent.State state = seeder.awaitState(EnumSet.of(Torrent.State.FAILED, Torrent.State.SEEDING), Duration.ofSeconds(10));
            assertThat(state).isEqualTo(Torrent.State.FAILED);
            assertThat(seeder.status().error()).get().asString().contains("file1.bin");
        }
        swarm.assertNoThreadLeft();
    }
}
