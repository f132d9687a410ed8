package pyto.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pyto.session.TorrentStatus;
import pyto.tracker.TrackerStatus;

/**
 * The progress of running torrents, one line each: percent, down and up rate, peers
 * (connected/known), ETA, state. On a terminal the lines rewrite themselves in place a few
 * times a second; in a pipe or a file, a plain line per torrent every few seconds. A
 * tracker that starts working or fails gets a line of its own when that happens (its text,
 * and when it will be asked next). Called from the command's main thread only.
 */
final class StatusDisplay {

    private static final long LIVE_EVERY_MILLIS = 250;

    private final PrintStream out;
    private final boolean live;
    private final long everyMillis;
    private long lastShown;
    private int linesShown;
    private final Map<String, String> trackerNotes = new HashMap<>();

    StatusDisplay(PrintStream out, boolean live, long plainEveryMillis) {
        this.out = out;
        this.live = live;
        this.everyMillis = live ? LIVE_EVERY_MILLIS : plainEveryMillis;
        this.lastShown = -everyMillis - 1;
    }

    static StatusDisplay forTerminal(PrintStream out) {
        return new StatusDisplay(out, Terminal.isInteractive(), 5_000);
    }

    /** Called often with the current statuses; prints only when there is news or it is time. */
    void show(List<TorrentStatus> statuses) {
        List<String> notes = trackerNews(statuses);
        long now = System.currentTimeMillis();
        if (notes.isEmpty() && now - lastShown < everyMillis) {
            return;
        }
        StringBuilder s = new StringBuilder();
        if (live && linesShown > 0) {
            if (linesShown > 1) {
                s.append("\033[").append(linesShown - 1).append('A'); // back to the first status line
            }
            s.append("\r\033[J"); // and clear from there down
        }
        notes.forEach(n -> s.append(n).append('\n'));
        if (live || now - lastShown >= everyMillis) {
            lastShown = now;
            for (int i = 0; i < statuses.size(); i++) {
                s.append(line(statuses.get(i)));
                if (!live || i < statuses.size() - 1) {
                    s.append('\n');
                }
            }
            linesShown = live ? statuses.size() : 0;
        } else {
            linesShown = 0;
        }
        out.print(s);
        out.flush();
    }

    /** Ends the live lines so what follows starts on a fresh line. */
    void finish() {
        if (live && linesShown > 0) {
            out.println();
            linesShown = 0;
        }
    }

    static String line(TorrentStatus s) {
        String name = s.name().length() > 28 ? s.name().substring(0, 27) + "~" : s.name();
        return switch (s.state()) {
            case METADATA -> String.format(Locale.ROOT, "%s  fetching metadata (%d peers, %d with metadata)%s  down %s",
                    name, s.peers(), s.metadataSources(), dht(s), Units.rate(s.downloadRate()));
            case CHECKING -> String.format(Locale.ROOT, "%s  checking %s", name,
                    ProgressLine.percent(s.checkedBytes(), s.totalBytes()));
            case FAILED -> name + "  failed: " + s.error().orElse("unknown error");
            default -> String.format(Locale.ROOT, "%s  %6s  down %s  up %s  peers %d/%d%s%s  %s",
                    name, ProgressLine.percent(s.completedBytes(), s.totalBytes()),
                    Units.rate(s.downloadRate()), Units.rate(s.uploadRate()), s.peers(), s.knownPeers(), dht(s),
                    s.eta().map(e -> "  eta " + Units.duration(e)).orElse(""),
                    s.state().name().toLowerCase(Locale.ROOT));
        };
    }

    /** What the DHT (BEP 5) brings: the nodes our node knows, and the peers it found for this torrent. */
    private static String dht(TorrentStatus s) {
        return s.dhtNodes() < 0 ? "" : String.format(Locale.ROOT, "  dht %d nodes, %d peers", s.dhtNodes(), s.dhtPeers());
    }

    /** A line for each tracker whose state or error changed since the last call. */
    private List<String> trackerNews(List<TorrentStatus> statuses) {
        List<String> news = new ArrayList<>();
        for (TorrentStatus s : statuses) {
            for (TrackerStatus t : s.trackers()) {
                String now = switch (t.state()) {
                    case WORKING -> "working";
                    case ERROR -> "error: " + t.error().orElse("no answer");
                    case IDLE, UPDATING -> null; // nothing to tell yet
                };
                String key = s.infoHash().hex() + " " + t.url();
                if (now != null && !now.equals(trackerNotes.put(key, now))) {
                    news.add(trackerLine(s.name(), t, now));
                }
            }
        }
        return news;
    }

    private static String trackerLine(String torrent, TrackerStatus t, String state) {
        StringBuilder line = new StringBuilder(torrent).append(": tracker ").append(t.url()).append(": ").append(state);
        if (t.state() == TrackerStatus.State.WORKING) {
            line.append(" (").append(t.peersReceived()).append(" peers");
            t.seeders().ifPresent(n -> line.append(", ").append(n).append(" seeders"));
            t.leechers().ifPresent(n -> line.append(", ").append(n).append(" leechers"));
            line.append(')');
        }
        t.warning().ifPresent(w -> line.append(", warning: ").append(w));
        t.nextAnnounce().ifPresent(next -> line.append("; next announce in ")
                .append(Units.duration(Duration.between(Instant.now(), next))));
        return line.toString();
    }
}
