package pyto.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import pyto.daemon.Json;

/**
 * How {@code pyto remote} shows what a daemon says: a table of torrents, one torrent's facts,
 * its files, the limits. Sizes and rates in pyto's units ({@link Units}), percentages as the
 * progress lines print them. It reads only fields that Transmission 3.00 sends too, so it shows
 * a Transmission daemon the same way. Main thread only.
 */
final class RemoteViews {

    static final List<String> LIST_FIELDS = List.of("id", "name", "status", "percentDone", "sizeWhenDone",
            "rateDownload", "rateUpload", "peersConnected", "eta", "uploadRatio", "error", "metadataPercentComplete");
    static final List<String> INFO_FIELDS = List.of("id", "name", "hashString", "magnetLink", "status", "downloadDir",
            "percentDone", "sizeWhenDone", "haveValid", "downloadedEver", "uploadedEver", "uploadRatio", "rateDownload",
            "rateUpload", "peersConnected", "eta", "pieceCount", "pieceSize", "addedDate", "doneDate", "error",
            "errorString", "downloadLimit", "downloadLimited", "uploadLimit", "uploadLimited", "trackerStats",
            "metadataPercentComplete");
    static final List<String> FILES_FIELDS = List.of("name", "files");
    static final List<String> LIMIT_FIELDS = List.of("name", "downloadLimit", "downloadLimited", "uploadLimit",
            "uploadLimited");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final PrintStream out;

    RemoteViews(PrintStream out) {
        this.out = out;
    }

    void list(Json.Obj reply) {
        List<Json.Obj> torrents = torrents(reply);
        out.printf(Locale.ROOT, "%4s  %6s  %10s  %12s  %12s  %5s  %7s  %6s  %-11s  %s%n",
                "ID", "Done", "Size", "Down", "Up", "Peers", "ETA", "Ratio", "Status", "Name");
        double down = 0, up = 0;
        for (Json.Obj t : torrents) {
            down += decimal(t, "rateDownload");
            up += decimal(t, "rateUpload");
            out.printf(Locale.ROOT, "%4d  %6s  %10s  %12s  %12s  %5d  %7s  %6s  %-11s  %s%n", number(t, "id"),
                    percent(t), Units.size(number(t, "sizeWhenDone")), Units.rate(decimal(t, "rateDownload")),
                    Units.rate(decimal(t, "rateUpload")), number(t, "peersConnected"), eta(number(t, "eta")),
                    ratio(decimal(t, "uploadRatio")), state(t), text(t, "name"));
        }
        out.printf(Locale.ROOT, "%d torrent%s, down %s, up %s%n", torrents.size(), torrents.size() == 1 ? "" : "s",
                Units.rate(down), Units.rate(up));
    }

    void info(Json.Obj reply) {
        for (Json.Obj t : torrents(reply)) {
            out.println(text(t, "name"));
            row("id", Long.toString(number(t, "id")));
            row("info hash", text(t, "hashString"));
            row("magnet link", text(t, "magnetLink"));
            row("state", state(t) + switch ((int) number(t, "error")) {
                case 0 -> "";
                case 1 -> " (tracker warning: " + text(t, "errorString") + ")";
                case 2 -> " (tracker error: " + text(t, "errorString") + ")";
                default -> ": " + text(t, "errorString");
            });
            row("location", text(t, "downloadDir"));
            row("progress", percent(t) + " of " + Units.size(number(t, "sizeWhenDone")) + " ("
                    + Units.size(number(t, "haveValid")) + " verified)");
            row("down, up", Units.rate(decimal(t, "rateDownload")) + ", " + Units.rate(decimal(t, "rateUpload"))
                    + ", " + number(t, "peersConnected") + " peers, eta " + eta(number(t, "eta")));
            row("moved", "downloaded " + Units.size(number(t, "downloadedEver")) + ", uploaded "
                    + Units.size(number(t, "uploadedEver")) + ", ratio " + ratio(decimal(t, "uploadRatio")));
            row("pieces", Units.exact(number(t, "pieceCount")) + " of " + Units.size(number(t, "pieceSize")));
            row("added", date(number(t, "addedDate")) + (number(t, "doneDate") > 0
                    ? ", completed " + date(number(t, "doneDate")) : ""));
            row("limits", limit(t, "download") + " down, " + limit(t, "upload") + " up");
            if (t.get("trackerStats").orElse(Json.NULL) instanceof Json.Arr trackers) {
                for (Json tracker : trackers.items()) {
                    row("tracker", tracker((Json.Obj) tracker));
                }
            }
        }
    }

    void files(Json.Obj reply) {
        for (Json.Obj t : torrents(reply)) {
            List<Json> files = t.get("files").orElse(Json.NULL) instanceof Json.Arr a ? a.items() : List.of();
            out.println(text(t, "name") + " (" + files.size() + (files.size() == 1 ? " file)" : " files)"));
            out.printf(Locale.ROOT, "%4s  %6s  %10s  %s%n", "#", "Done", "Size", "Name");
            for (int i = 0; i < files.size(); i++) {
                Json.Obj f = (Json.Obj) files.get(i);
                out.printf(Locale.ROOT, "%4d  %6s  %10s  %s%n", i,
                        ProgressLine.percent(number(f, "bytesCompleted"), number(f, "length")),
                        Units.size(number(f, "length")), text(f, "name"));
            }
        }
    }

    void limits(Json.Obj reply, boolean torrent) {
        if (torrent) {
            for (Json.Obj t : torrents(reply)) {
                out.println(text(t, "name") + ": " + limit(t, "download") + " down, " + limit(t, "upload") + " up");
            }
            return;
        }
        out.println("daemon: " + sessionLimit(reply, "down") + " down, " + sessionLimit(reply, "up") + " up");
    }

    private static String limit(Json.Obj t, String which) {
        return t.get(which + "Limited").orElse(Json.NULL) instanceof Json.Bool b && b.value()
                ? number(t, which + "Limit") + " kB/s" : "unlimited"; // the daemon's own unit: 1000 bytes
    }

    private static String sessionLimit(Json.Obj s, String which) {
        return s.get("speed-limit-" + which + "-enabled").orElse(Json.NULL) instanceof Json.Bool b && b.value()
                ? number(s, "speed-limit-" + which) + " kB/s" : "unlimited";
    }

    private String tracker(Json.Obj t) {
        StringBuilder s = new StringBuilder(text(t, "announce")).append(": ");
        String result = text(t, "lastAnnounceResult");
        s.append(result.isEmpty() ? "not asked yet" : result);
        if (t.get("lastAnnounceSucceeded").orElse(Json.NULL) instanceof Json.Bool ok && ok.value()) {
            s.append(" (").append(number(t, "lastAnnouncePeerCount")).append(" peers");
            if (number(t, "seederCount") >= 0) {
                s.append(", ").append(number(t, "seederCount")).append(" seeders, ")
                        .append(number(t, "leecherCount")).append(" leechers");
            }
            s.append(')');
        }
        long next = number(t, "nextAnnounceTime");
        if (next > 0) {
            s.append("; next announce in ").append(Units.duration(Duration.between(Instant.now(), Instant.ofEpochSecond(next))));
        }
        return s.toString();
    }

    private void row(String label, String value) {
        out.printf(Locale.ROOT, "  %-12s %s%n", label + ":", value);
    }

    /** Transmission's status numbers, in pyto's words; a magnet link fetching its metadata says so. */
    static String state(Json.Obj t) {
        if (number(t, "status") == 4 && t.has("metadataPercentComplete") && decimal(t, "metadataPercentComplete") < 1) {
            return "metadata";
        }
        return switch ((int) number(t, "status")) {
            case 0 -> number(t, "error") == 3 ? "failed" : "stopped";
            case 1 -> "check wait";
            case 2 -> "checking";
            case 3 -> "queued";
            case 4 -> "downloading";
            case 5 -> "seed wait";
            case 6 -> "seeding";
            default -> "status " + number(t, "status");
        };
    }

    private static String percent(Json.Obj t) {
        return String.format(Locale.ROOT, "%.1f%%", Math.floor(decimal(t, "percentDone") * 1000) / 10);
    }

    private static String eta(long seconds) {
        return seconds < 0 ? "-" : Units.duration(Duration.ofSeconds(seconds));
    }

    private static String ratio(double r) {
        return r == -2 ? "inf" : r < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String date(long epochSeconds) {
        return epochSeconds <= 0 ? "-" : DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    private static List<Json.Obj> torrents(Json.Obj reply) {
        return reply.get("torrents").orElse(Json.NULL) instanceof Json.Arr a
                ? a.items().stream().filter(Json.Obj.class::isInstance).map(Json.Obj.class::cast).toList() : List.of();
    }

    static long number(Json.Obj o, String name) {
        return o.get(name).orElse(Json.NULL) instanceof Json.Num n ? n.value().longValue() : 0;
    }

    static double decimal(Json.Obj o, String name) {
        return o.get(name).orElse(Json.NULL) instanceof Json.Num n ? n.value().doubleValue() : 0;
    }

    static String text(Json.Obj o, String name) {
        return o.get(name).orElse(Json.NULL) instanceof Json.Str s ? s.value() : "";
    }
}
