package pyto.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import pyto.concurrent.Workers;
import pyto.metainfo.FileEntry;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.tracker.ScrapeResponse;
import pyto.tracker.Tracker;
import pyto.tracker.Trackers;

/** {@code pyto info FILE.torrent} or {@code pyto info MAGNET}: what a torrent file or a magnet link (BEP 9) says, for people. */
final class InfoCommand implements Main.Command {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;

    InfoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String usage() {
        return "pyto info FILE.torrent|MAGNET [--scrape]\n"
                + "                                   show what a torrent file or a magnet link (quoted) holds; --scrape\n"
                + "                                   asks each tracker for its seeders, leechers and completed downloads (BEP 48)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names(), Args.names("--scrape"));
        String operand = args.operand("torrent file or magnet link");
        InfoHash infoHash;
        List<String> trackers;
        if (operand.regionMatches(true, 0, "magnet:", 0, "magnet:".length())) {
            MagnetLink link = MagnetLink.parse(operand);
            print(link);
            infoHash = link.infoHash();
            trackers = link.trackers();
        } else {
            Metainfo m = MetainfoParser.read(Path.of(operand));
            print(m);
            infoHash = m.infoHash();
            trackers = m.trackers();
        }
        if (args.flag("--scrape")) {
            scrape(trackers, infoHash);
        }
        return Main.OK;
    }

    /** What a magnet link holds: no sizes or files, those come with the metadata. */
    private void print(MagnetLink link) {
        row("name", link.name().orElse("unknown until the metadata arrives"));
        row("info hash", link.infoHash().hex());
        list("trackers", link.trackers(), "none (peers from DHT, x.pe or --peer only)");
        list("peers", link.peers().stream().map(MagnetLink::peerText).toList(), "none");
        list("web seeds", link.webSeeds(), "none");
        if (!link.selectOnly().isEmpty()) {
            row("select only", "files " + link.selectOnlyText() + " (BEP 53; counted from 0)");
        }
    }

    private void list(String label, List<String> values, String none) {
        row(label, values.isEmpty() ? none : Integer.toString(values.size()));
        values.forEach(v -> out.println("  " + v));
    }

    private void print(Metainfo m) {
        row("name", m.name());
        row("info hash", m.infoHash().hex());
        row("total size", Units.size(m.totalLength()) + " (" + Units.exact(m.totalLength()) + " bytes)");
        row("pieces", Units.exact(m.pieceCount()) + " of " + Units.size(m.pieceLength()));
        row("private", m.isPrivate() ? "yes (trackers only: no DHT, no peer exchange)" : "no");
        m.createdBy().ifPresent(c -> row("created by", c));
        m.creationDate().ifPresent(d -> row("created on", DATE.format(d)));
        m.comment().ifPresent(c -> row("comment", c));

        List<FileEntry> files = m.visibleFiles();
        int pads = m.files().size() - files.size();
        row("files", files.size() + (pads > 0 ? " (and " + pads + " BEP 47 pad files, never written)" : ""));
        int sizeWidth = files.stream().mapToInt(f -> Units.exact(f.length()).length()).max().orElse(1);
        for (FileEntry f : files) {
            out.printf("  %" + sizeWidth + "s  %s%n", Units.exact(f.length()), f.displayPath());
        }

        if (m.trackerTiers().isEmpty()) {
            row("trackers", "none (peers from --peer or DHT only)");
        } else {
            row("trackers", m.trackers().size() + " in " + m.trackerTiers().size() + " tiers");
            for (int t = 0; t < m.trackerTiers().size(); t++) {
                out.printf("  tier %d: %s%n", t + 1, String.join(" ", m.trackerTiers().get(t)));
            }
        }
        if (!m.dhtNodes().isEmpty()) {
            row("dht nodes", Integer.toString(m.dhtNodes().size()));
            m.dhtNodes().forEach(n -> out.println("  " + n.getHostString() + ":" + n.getPort()));
        }
        if (!m.webSeeds().isEmpty()) {
            row("web seeds", Integer.toString(m.webSeeds().size()));
            m.webSeeds().forEach(u -> out.println("  " + u));
        }
        row("magnet", MagnetLink.of(m).uri());
    }

    /** Asks every tracker at once (each on its own virtual thread), then prints the answers in order. */
    private void scrape(List<String> urls, InfoHash infoHash) throws InterruptedException {
        if (urls.isEmpty()) {
            out.println("scrape:      no trackers to ask");
            return;
        }
        String[] answers = new String[urls.size()];
        Trackers.Config quick = new Trackers.Config(Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20)
                .withUdpSchedule(Duration.ofSeconds(3), 1);
        try {
            Workers.run("scrape", urls.size(), i -> answers[i] = scrape(urls.get(i), infoHash, quick));
        } catch (IOException e) {
            throw new IllegalStateException("scrape answers are caught per tracker", e);
        }
        out.println("scrape:");
        for (int i = 0; i < urls.size(); i++) {
            out.println("  " + urls.get(i) + ": " + answers[i]);
        }
    }

    private static String scrape(String url, InfoHash infoHash, Trackers.Config config) {
        Optional<Tracker> tracker = Trackers.forUrl(url, config);
        if (tracker.isEmpty()) {
            return "not a tracker pyto can speak to";
        }
        try {
            ScrapeResponse r = tracker.get().scrape(infoHash);
            return r.complete() + " seeders, " + r.incomplete() + " leechers, " + r.downloaded() + " completed";
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }

    private void row(String label, String value) {
        out.printf("%-12s %s%n", label + ":", value);
    }
}
