package pyto.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.session.DhtSettings;
import pyto.session.RateLimits;
import pyto.session.Session;
import pyto.session.Torrent;
import pyto.session.TorrentStatus;

/**
 * {@code pyto download FILE.torrent ...} and {@code pyto seed FILE.torrent}: runs a session
 * with the given torrents, shows their progress, and ends when every one is done (seeded to
 * its ratio), or at Ctrl-C, after telling the trackers {@code stopped} and flushing the files.
 */
final class DownloadCommand implements Main.Command {

    /** What a torrent to download comes from: a .torrent file, or a magnet link (BEP 9). */
    private sealed interface Source {
        record File(Metainfo metainfo) implements Source {
        }

        record Magnet(MagnetLink link) implements Source {
        }
    }

    private final PrintStream out;
    private final boolean seedOnly;

    DownloadCommand(PrintStream out, boolean seedOnly) {
        this.out = out;
        this.seedOnly = seedOnly;
    }

    @Override
    public String name() {
        return seedOnly ? "seed" : "download";
    }

    @Override
    public String usage() {
        return seedOnly
                ? "pyto seed FILE.torrent -d DIR [-p PORT] [--peer HOST:PORT ...] [--max-up RATE] [--no-dht]\n"
                + "            [--dht-port N] [--dht-bootstrap HOST:PORT ...] [--state DIR] [--trace]\n"
                + "                                   check the data in DIR, then seed until interrupted"
                : "pyto download FILE.torrent|MAGNET ... [-d DIR] [-p PORT] [--peer HOST:PORT ...] [--ratio R] [--seed]\n"
                + "            [--max-down RATE] [--max-up RATE] [--no-dht] [--dht-port N] [--dht-bootstrap HOST:PORT ...]\n"
                + "            [--state DIR] [--trace]\n"
                + "                                   download, then seed until uploaded >= R x size (default 1.0;\n"
                + "                                   0: stop when complete; --seed: until interrupted); a magnet link\n"
                + "                                   (quote it) gets its metadata from peers first (BEP 9)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("-d|--dir", "-p|--port", "--peer", "--ratio", "--max-down", "--max-up",
                "--dht-port", "--dht-bootstrap", "--state"), Args.names("--seed", "--trace", "--no-dht"));
        if (args.operands().isEmpty()) {
            throw new UsageException("missing torrent file or magnet link (usage: " + usage().lines().findFirst().orElse("") + ")");
        }
        if (seedOnly && args.value("--dir").isEmpty()) {
            throw new UsageException("pyto seed needs -d DIR, where the data is");
        }
        Path dir = Path.of(args.value("--dir").orElse("."));
        int port = args.intValue("--port", 6881, 0, 65535);
        double ratio = ratio(args);
        RateLimits limits = new RateLimits(Args.parseSize("--max-down", args.value("--max-down").orElse("0")),
                Args.parseSize("--max-up", args.value("--max-up").orElse("0")));
        boolean seedForever = seedOnly || args.flag("--seed");
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String p : args.values("--peer")) {
            peers.add(PeerAddresses.parse(p));
        }
        List<Source> sources = new ArrayList<>(); // all read and checked before anything starts
        for (String operand : args.operands()) {
            if (operand.startsWith("magnet:")) {
                if (seedOnly) {
                    throw new UsageException("pyto seed needs a .torrent file: a magnet link has no data to check");
                }
                sources.add(new Source.Magnet(MagnetLink.parse(operand)));
            } else {
                sources.add(new Source.File(MetainfoParser.read(Path.of(operand))));
            }
        }

        Session.Config config = Session.Config.defaults().withPort(port).withDht(dhtSettings(args));
        if (args.flag("--trace")) {
            config = config.withTrace(new TracePrinter(out));
        }
        Session session;
        try {
            session = Session.start(config);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (use -p to choose another port, or -p 0 for any free one)", e);
        }
        session.setLimits(limits);
        List<Torrent> torrents = new ArrayList<>();
        StatusDisplay display = StatusDisplay.forTerminal(out);
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = onInterrupt(session, display, finished);
        long start = System.nanoTime();
        try {
            for (Source source : sources) {
                Torrent t = switch (source) {
                    case Source.File(Metainfo metainfo) -> session.add(metainfo, dir);
                    case Source.Magnet(MagnetLink link) -> session.add(link, dir);
                };
                t.addPeers(peers);
                torrents.add(t);
            }
            int code = watch(torrents, display, ratio, seedForever);
            display.finish();
            summarise(torrents, start);
            return code;
        } finally {
            finished.set(true);
            removeHook(hook);
            session.close();
        }
    }

    /** Shows progress until every torrent is finished; the exit code. */
    private int watch(List<Torrent> torrents, StatusDisplay display, double ratio, boolean seedForever)
            throws InterruptedException {
        while (true) {
            List<TorrentStatus> statuses = torrents.stream().map(Torrent::status).toList();
            display.show(statuses);
            boolean allDone = true;
            for (TorrentStatus s : statuses) {
                if (s.state() == Torrent.State.FAILED) {
                    return Main.FAILURE;
                }
                if (seedOnly && s.state() == Torrent.State.DOWNLOADING) {
                    out.println();
                    out.println("pyto: " + s.name() + ": the data is incomplete ("
                            + ProgressLine.percent(s.completedBytes(), s.totalBytes())
                            + " on disk); pyto download fetches the rest");
                    return Main.FAILURE;
                }
                // seeding, not just isComplete(): the last piece is in before its files are finished
                boolean done = s.state() == Torrent.State.SEEDING && !seedForever
                        && s.uploaded() >= ratio * s.totalBytes();
                allDone &= done;
            }
            if (allDone) {
                return Main.OK;
            }
            Thread.sleep(100); // the display paces itself; this only bounds how late we notice the end
        }
    }

    private void summarise(List<Torrent> torrents, long startNanos) {
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        for (Torrent t : torrents) {
            TorrentStatus s = t.status();
            if (s.state() == Torrent.State.FAILED) {
                out.println(s.name() + ": failed: " + s.error().orElse("unknown error"));
                continue;
            }
            out.printf("%s: %s, downloaded %s in %s (%s average), uploaded %s, ratio %.2f%n", s.name(),
                    s.isComplete() ? "complete" : s.state().name().toLowerCase(java.util.Locale.ROOT),
                    Units.size(s.downloaded()), Units.duration(Duration.ofMillis((long) (seconds * 1000))),
                    Units.rate(s.downloaded() / seconds), Units.size(s.uploaded()), s.ratio());
        }
    }

    /**
     * The DHT (BEP 5): on by default, on the peer port's number, bootstrapped by the well-known
     * routers, its id and good nodes kept in the state directory between runs.
     */
    private DhtSettings dhtSettings(Args args) throws UsageException {
        if (args.flag("--no-dht")) {
            return DhtSettings.OFF;
        }
        DhtSettings dht = DhtSettings.defaults();
        if (args.value("--dht-port").isPresent()) {
            dht = dht.withPort(args.intValue("--dht-port", 0, 0, 65535));
        }
        if (!args.values("--dht-bootstrap").isEmpty()) {
            List<InetSocketAddress> nodes = new ArrayList<>();
            for (String node : args.values("--dht-bootstrap")) {
                nodes.add(PeerAddresses.parse("--dht-bootstrap", node, false));
            }
            dht = dht.withBootstrap(nodes);
        }
        if (args.value("--state").isPresent()) {
            dht = dht.withStateDirectory(Optional.of(Path.of(args.value("--state").get())));
        }
        if (args.flag("--trace")) {
            dht = dht.withTrace(new TracePrinter(out));
        }
        return dht;
    }

    private static double ratio(Args args) throws UsageException {
        String text = args.value("--ratio").orElse("1.0");
        try {
            double r = Double.parseDouble(text);
            if (r < 0 || Double.isNaN(r) || Double.isInfinite(r)) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new UsageException("--ratio needs a number >= 0, not '" + text + "'");
        }
    }

    /**
     * Ctrl-C: the JVM runs this hook, which tells the trackers {@code stopped}, flushes and
     * closes the files, and lets the JVM exit with 130. After a normal end it does nothing.
     */
    private static Thread onInterrupt(Session session, StatusDisplay display, AtomicBoolean finished) {
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                display.finish();
                System.err.println("pyto: interrupted; telling the trackers and closing files...");
                session.close();
            }
        }, "pyto-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }
}
