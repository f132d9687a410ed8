package pyto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import pyto.concurrent.Scope;
import pyto.metainfo.FileEntry;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.tracker.Announcer;
import pyto.tracker.TrackerServer;

/**
 * A local swarm for tests: an embedded tracker, seeders and leechers, each a {@link Session}
 * of its own on 127.0.0.1, sharing a torrent of random data made in code. {@link #close()}
 * stops everything; {@link #assertNoThreadLeft()} proves it.
 */
final class TestSwarm implements AutoCloseable {

    /** Short intervals so that leechers find each other in seconds, not minutes. */
    static final Announcer.Config FAST_ANNOUNCES =
            new Announcer.Config(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(2));

    final Path root;
    final Path payload;
    final Metainfo metainfo;
    final TrackerServer tracker;
    final List<Session> sessions = new ArrayList<>();
    private final int threadsBefore;

    private TestSwarm(Path root, Path payload, Metainfo metainfo, TrackerServer tracker, int threadsBefore) {
        this.root = root;
        this.payload = payload;
        this.metainfo = metainfo;
        this.tracker = tracker;
        this.threadsBefore = threadsBefore;
    }

    /**
     * Random files of the given sizes under {@code root/seed/NAME}, and a torrent of them
     * announced to an embedded tracker (or none, when {@code withTracker} is false).
     */
    static TestSwarm create(Path root, int pieceLength, boolean withTracker, long... fileSizes) throws IOException {
        return create(root, pieceLength, withTracker, false, fileSizes);
    }

    /** As {@link #create}, without a tracker, for a private torrent (BEP 27). */
    static TestSwarm createPrivate(Path root, int pieceLength, long... fileSizes) throws IOException {
        return create(root, pieceLength, false, true, fileSizes);
    }

    private static TestSwarm create(Path root, int pieceLength, boolean withTracker, boolean isPrivate, long... fileSizes)
            throws IOException {
        int threadsBefore = Scope.liveThreads();
        Path seedDir = Files.createDirectories(root.resolve("seed"));
        Path payload = Files.createDirectories(seedDir.resolve("payload"));
        Random random = new Random(42);
        for (int i = 0; i < fileSizes.length; i++) {
            byte[] data = new byte[Math.toIntExact(fileSizes[i])];
            random.nextBytes(data);
            Path file = payload.resolve(i % 2 == 0 ? "file" + i + ".bin" : "dir/file" + i + ".bin");
            Files.createDirectories(file.getParent());
            Files.write(file, data);
        }
        TrackerServer tracker = withTracker ? TrackerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(1))) : null;
        TorrentCreator.Options options = TorrentCreator.Options.defaults().withPieceLength(pieceLength).withPrivate(isPrivate);
        if (tracker != null) {
            options = options.withTrackerTiers(List.of(List.of(tracker.announceUrl())));
        }
        byte[] torrent = TorrentCreator.create(payload, options, (done, total) -> { });
        return new TestSwarm(root, payload, MetainfoParser.parse(torrent), tracker, threadsBefore);
    }

    /** A new session of this swarm on 127.0.0.1, any free port; closed with the swarm. */
    Session session() throws IOException {
        Session s = loopbackSession();
        sessions.add(s);
        return s;
    }

    /** A session of this swarm with some settings changed, e.g. {@code c -> c.withChoking(0, ROUND)}. */
    Session session(UnaryOperator<Session.Config> settings) throws IOException {
        Session s = Session.start(settings.apply(loopbackConfig()));
        sessions.add(s);
        return s;
    }

    /** A session on 127.0.0.1, any free port, announcing often; the caller closes it. */
    static Session loopbackSession() throws IOException {
        return Session.start(loopbackConfig());
    }

    static Session.Config loopbackConfig() {
        return Session.Config.defaults().withBind(InetAddress.getLoopbackAddress()).withPort(0)
                .withAnnouncer(FAST_ANNOUNCES).withDht(DhtSettings.OFF);
    }

    /**
     * A seeder: a session that has the payload in the seed directory, returned once it has
     * checked the data (until then it turns peers away, and they wait 30 s to try again).
     */
    Torrent seeder() throws IOException, InterruptedException {
        Torrent seeder = session().add(metainfo, root.resolve("seed"));
        assertThat(seeder.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10))).as("seeder checked its data").isEqualTo(Torrent.State.SEEDING);
        return seeder;
    }

    /** Where to dial the first session, the seeder. */
    InetSocketAddress seederAddress() {
        return addressOf(sessions.getFirst());
    }

    /** A leecher downloading into {@code root/NAME}. */
    Torrent leecher(String name) throws IOException {
        return session().add(metainfo, root.resolve(name));
    }

    Path dir(String name) {
        return root.resolve(name);
    }

    /** Every file of the payload is in {@code dir} with the same bytes. */
    void assertSameData(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(payload)) {
            for (Path original : files.filter(Files::isRegularFile).toList()) {
                Path copy = dir.resolve(metainfo.name()).resolve(payload.relativize(original).toString());
                assertThat(copy).as("downloaded " + copy).exists();
                assertThat(Files.mismatch(original, copy)).as("first differing byte of " + copy).isEqualTo(-1L);
            }
        }
    }

    /**
     * {@code length} bytes of the torrent's byte stream (its files one after the other) from
     * {@code offset}, read from the seed's copy: what a block request should bring back.
     */
    byte[] streamBytes(long offset, int length) throws IOException {
        byte[] out = new byte[length];
        for (FileEntry f : metainfo.files()) {
            long from = Math.max(offset, f.offset());
            long to = Math.min(offset + length, f.end());
            if (from >= to || f.padding()) {
                continue; // pad files are zeros, and so is the array
            }
            Path file = root.resolve("seed").resolve(String.join("/", f.path())); // the path begins with the name
            try (FileChannel channel = FileChannel.open(file)) {
                ByteBuffer buffer = ByteBuffer.wrap(out, (int) (from - offset), (int) (to - from));
                long position = from - f.offset();
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, position);
                    if (n < 0) {
                        throw new IOException(file + " is shorter than the torrent says");
                    }
                    position += n;
                }
            }
        }
        return out;
    }

    static InetSocketAddress addressOf(Session s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port());
    }

    @Override
    public void close() {
        sessions.forEach(Session::close);
        if (tracker != null) {
            tracker.close();
        }
    }

    void assertNoThreadLeft() {
        assertThat(Scope.liveThreads()).as("threads started by pyto still alive").isEqualTo(threadsBefore);
    }
}
