package pyto.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import pyto.session.TorrentStatus;
import pyto.tracker.TrackerStatus;

/**
 * The progress of running torrents, one line each: percent, down and up rate, peers
 * (connected/known), ETA, state. On a terminal the lines rewrite themselves in place; in a
 * pipe or a file, a plain line per torrent every few seconds. Called from the command's
 * main thread only.
 */
final class StatusDisplay {

    private final PrintStream out;
    private final boolean live;
    private final long plainEveryMillis;
    private static final long LIVE_EVERY_MILLIS = 250;
    private long lastShown;
    private int linesShown;

    StatusDisplay(PrintStream out, boolean live, long plainEveryMillis) {
        this.out = out;
        this.live = live;
        this.plainEveryMillis = plainEveryMillis;
        this.lastShown = -plainEveryMillis - 1;
    }

    static StatusDisplay forTerminal(PrintStream out) {
        return new StatusDisplay(out, Terminal.isInteractive(), 5_000);
    }

    /** Called often with the current statuses; shows them a few times a second at most (live) or every few seconds (plain). */
    void show(List<TorrentStatus> statuses) {
        long now = System.currentTimeMillis();
        if (now - lastShown < (live ? LIVE_EVERY_MILLIS : plainEveryMillis)) {
            return;
        }
        lastShown = now;
        if (live) {
            StringBuilder s = new StringBuilder();
            if (linesShown > 1) {
                s.append("\033[").append(linesShown - 1).append('A'); // back to the first line
            }
            s.append('\r');
            for (int i = 0; i < statuses.size(); i++) {
                s.append("\033[K").append(line(statuses.get(i)));
                if (i < statuses.size() - 1) {
                    s.append('\n');
                }
            }
            out.print(s);
            out.flush();
            linesShown = statuses.size();
        } else {
            statuses.forEach(st -> out.println(line(st)));
        }
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
            case CHECKING -> String.format(Locale.ROOT, "%s  checking %s", name,
                    ProgressLine.percent(s.checkedBytes(), s.totalBytes()));
            case FAILED -> name + "  failed: " + s.error().orElse("unknown error");
            default -> String.format(Locale.ROOT, "%s  %6s  down %s  up %s  peers %d/%d%s  %s%s",
                    name, ProgressLine.percent(s.completedBytes(), s.totalBytes()),
                    Units.rate(s.downloadRate()), Units.rate(s.uploadRate()), s.peers(), s.knownPeers(),
                    s.eta().map(e -> "  eta " + Units.duration(e)).orElse(""),
                    s.state().name().toLowerCase(Locale.ROOT), trackerProblem(s.trackers()));
        };
    }

    /** A tracker error is worth a word on the line when no tracker works. */
    private static String trackerProblem(List<TrackerStatus> trackers) {
        if (trackers.isEmpty() || trackers.stream().anyMatch(t -> t.state() == TrackerStatus.State.WORKING)) {
            return "";
        }
        return trackers.stream().filter(t -> t.state() == TrackerStatus.State.ERROR).findFirst()
                .map(t -> "  (tracker: " + t.error().orElse("error") + ")").orElse("");
    }
}
