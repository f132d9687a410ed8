package pyto.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import pyto.dht.DhtConfig;
import pyto.dht.DhtNode;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.session.DhtSettings;
import pyto.session.Session;
import pyto.session.Torrent;
import pyto.session.TorrentStatus;
import pyto.tracker.Announcer;
import pyto.tracker.TrackerServer;

/**
 * {@code pyto demo}: a whole swarm on this machine, in this process. It makes a payload of
 * random files and a torrent of them, starts the embedded tracker (or, with {@code --dht},
 * a DHT bootstrap node) and the seeders, lets the leechers download (and trade with each
 * other), checks every byte, prints the throughput, and cleans up. With {@code --dht} the
 * leechers start from a magnet link and find everyone through the DHT (BEP 5, 9). Everything
 * listens on 127.0.0.1 only.
 */
final class DemoCommand implements Main.Command {

    /** Announce every second or two, so leechers find each other at once. */
    private static final Announcer.Config QUICK = new Announcer.Config(
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2));

    private final PrintStream out;

    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return "pyto demo [--size BYTES] [--seeders N] [--leechers N] [--dht] [--trace]\n"
                + "                                   a local swarm in one process (default 64M, 1 seeder, 3 leechers);\n"
                + "                                   --dht: no tracker, the leechers start from a magnet link and\n"
                + "                                   find the others through a small DHT on 127.0.0.1";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("--size", "--seeders", "--leechers"), Args.names("--trace", "--dht"));
        long size = Args.parseSize("--size", args.value("--size").orElse("64M"));
        if (size < 1 || size > (64L << 30)) {
            throw new UsageException("--size must be between 1 byte and 64 GiB");
        }
        int seeders = args.intValue("--seeders", 1, 1, 20);
        int leechers = args.intValue("--leechers", 3, 1, 20);

        Path root = Files.createTempDirectory("pyto-demo-");
        try {
            return demo(root, size, seeders, leechers, args.flag("--dht"), args.flag("--trace"));
        } finally {
            deleteTree(root);
        }
    }

    private int demo(Path root, long size, int seeders, int leechers, boolean dht, boolean trace) throws Exception {
        out.printf("pyto demo: %s of random data, %d seeder(s), %d leecher(s), everything on 127.0.0.1%s%n",
                Units.size(size), seeders, leechers, dht ? ", peers found through the DHT" : "");
        Path payload = makePayload(root.resolve("seed"), size);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (TrackerServer tracker = dht ? null : TrackerServer.start(new InetSocketAddress(loopback, 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(2)));
             DhtNode router = dht ? DhtNode.start(DhtConfig.of(loopback, 0)) : null) {
            ProgressLine hashing = ProgressLine.forTerminal(out);
            TorrentCreator.Options options = TorrentCreator.Options.defaults();
            if (tracker != null) {
                options = options.withTrackerTiers(List.of(List.of(tracker.announceUrl())));
            }
            byte[] torrentFile = TorrentCreator.create(payload, options,
                    (done, total) -> hashing.update("hashing " + ProgressLine.percent(done, total)));
            hashing.finish();
            Metainfo metainfo = MetainfoParser.parse(torrentFile);
            MagnetLink magnet = MagnetLink.of(metainfo);
            out.printf("torrent %s: %s pieces of %s, info hash %s; %s%n", metainfo.name(),
                    Units.exact(metainfo.pieceCount()), Units.size(metainfo.pieceLength()), metainfo.infoHash().hex(),
                    tracker != null ? "tracker " + tracker.announceUrl()
                            : "DHT bootstrap node 127.0.0.1:" + router.port() + "; the leechers start from " + magnet.uri());

            Session.Config config = Session.Config.defaults().withBind(loopback).withPort(0).withAnnouncer(QUICK)
                    .withDht(router == null ? DhtSettings.OFF : DhtSettings.defaults()
                            .withStateDirectory(Optional.empty()).withBootstrap(List.of(router.localAddress()))
                            .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(2)));
            if (trace) {
                config = config.withTrace(new TracePrinter(out));
            }
            List<Session> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < seeders; i++) {
                    Session s = Session.start(config);
                    sessions.add(s);
                    s.add(metainfo, root.resolve("seed"));
                }
                long start = System.nanoTime();
                List<Torrent> downloads = new ArrayList<>();
                for (int i = 0; i < leechers; i++) {
                    Session s = Session.start(config);
                    sessions.add(s);
                    Path into = root.resolve("leecher" + (i + 1));
                    downloads.add(dht ? s.add(magnet, into) : s.add(metainfo, into));
                }
                if (!watch(downloads)) {
                    return Main.FAILURE;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return report(root, payload, metainfo, downloads, seconds);
            } finally {
                sessions.forEach(Session::close);
            }
        }
    }

    /** Progress until every leecher is complete; false when one failed. */
    private boolean watch(List<Torrent> downloads) throws InterruptedException {
        StatusDisplay display = StatusDisplay.forTerminal(out);
        while (true) {
            List<TorrentStatus> statuses = new ArrayList<>();
            for (int i = 0; i < downloads.size(); i++) {
                TorrentStatus s = downloads.get(i).status();
                statuses.add(s);
                if (s.state() == Torrent.State.FAILED) {
                    display.finish();
                    out.println("leecher " + (i + 1) + " failed: " + s.error().orElse("?"));
                    return false;
                }
            }
            display.show(statuses);
            if (statuses.stream().allMatch(s -> s.state() == Torrent.State.SEEDING)) {
                display.finish();
                return true;
            }
            Thread.sleep(100);
        }
    }

    private int report(Path root, Path payload, Metainfo metainfo, List<Torrent> downloads, double seconds)
            throws IOException {
        long total = metainfo.totalLength() * downloads.size();
        long fromLeechers = downloads.stream().mapToLong(t -> t.status().uploaded()).sum();
        boolean same = true;
        for (int i = 0; i < downloads.size(); i++) {
            same &= sameTree(payload, root.resolve("leecher" + (i + 1)).resolve(metainfo.name()));
        }
        out.printf("%d leechers downloaded %s in %.1f s: %s overall; %s of it came from other leechers%n",
                downloads.size(), Units.size(total), seconds, Units.rate(total / seconds), Units.size(fromLeechers));
        out.println(same ? "every byte matches the original" : "MISMATCH: a download differs from the original");
        return same ? Main.OK : Main.FAILURE;
    }

    /** Three files of uneven sizes, one in a subdirectory, so pieces span files. */
    private static Path makePayload(Path seedDir, long size) throws IOException {
        Path payload = Files.createDirectories(seedDir.resolve("demo-payload"));
        long[] sizes = {size / 2 + size % 3, size / 3, size - size / 2 - size % 3 - size / 3};
        String[] names = {"video.bin", "extras/notes.bin", "extras/cover.bin"};
        Random random = new Random();
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < sizes.length; i++) {
            Path file = payload.resolve(names[i]);
            Files.createDirectories(file.getParent());
            try (var outFile = Files.newOutputStream(file)) {
                for (long left = sizes[i]; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    outFile.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
        }
        return payload;
    }

    private static boolean sameTree(Path original, Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(original)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path other = copy.resolve(original.relativize(f).toString());
                if (!Files.exists(other) || Files.mismatch(f, other) != -1) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
