package pyto.daemon;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The daemon's settings that a remote control can change ({@code session-set}) and that
 * survive a restart, in {@code STATE/settings.json}: where new torrents go, the session's
 * speed limits (kB/s of 1000 bytes, each with its switch, as Transmission keeps them), the
 * default ratio goal, and whether added torrents start. An immutable value, replaced whole.
 */
record DaemonSettings(Path downloadDir, long downKBps, boolean downLimited, long upKBps, boolean upLimited,
                      double seedRatioLimit, boolean seedRatioLimited, boolean startAddedTorrents) {

    static final String FILE = "settings.json";

    static DaemonSettings defaults(Path downloadDir) {
        return new DaemonSettings(downloadDir, 100, false, 100, false, 2.0, false, true);
    }

    long downBytesPerSecond() {
        return downLimited ? downKBps * 1000 : 0;
    }

    long upBytesPerSecond() {
        return upLimited ? upKBps * 1000 : 0;
    }

    DaemonSettings withDownloadDir(Path dir) {
        return new DaemonSettings(dir, downKBps, downLimited, upKBps, upLimited, seedRatioLimit, seedRatioLimited,
                startAddedTorrents);
    }

    DaemonSettings withDown(long kBps, boolean limited) {
        return new DaemonSettings(downloadDir, kBps, limited, upKBps, upLimited, seedRatioLimit, seedRatioLimited,
                startAddedTorrents);
    }

    DaemonSettings withUp(long kBps, boolean limited) {
        return new DaemonSettings(downloadDir, downKBps, downLimited, kBps, limited, seedRatioLimit, seedRatioLimited,
                startAddedTorrents);
    }

    DaemonSettings withRatio(double limit, boolean limited) {
        return new DaemonSettings(downloadDir, downKBps, downLimited, upKBps, upLimited, limit, limited,
                startAddedTorrents);
    }

    DaemonSettings withStartAdded(boolean start) {
        return new DaemonSettings(downloadDir, downKBps, downLimited, upKBps, upLimited, seedRatioLimit,
                seedRatioLimited, start);
    }

    void save(Path stateDir) throws IOException {
        Json json = Json.object().put("downloadDir", downloadDir.toString())
                .put("speedLimitDown", downKBps).put("speedLimitDownEnabled", downLimited)
                .put("speedLimitUp", upKBps).put("speedLimitUpEnabled", upLimited)
                .put("seedRatioLimit", seedRatioLimit).put("seedRatioLimited", seedRatioLimited)
                .put("startAddedTorrents", startAddedTorrents).build();
        StateStore.writeAtomically(stateDir.resolve(FILE), JsonWriter.utf8(json));
    }

    /** The saved settings, each missing or unreadable one taken from {@code fallback}. */
    static DaemonSettings load(Path stateDir, DaemonSettings fallback) throws IOException, JsonException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file) || Files.size(file) > StateStore.MAX_JSON_BYTES) {
            return fallback;
        }
        if (!(JsonReader.read(Files.readAllBytes(file)) instanceof Json.Obj o)) {
            throw new JsonException("not a JSON object");
        }
        return new DaemonSettings(
                o.get("downloadDir").orElse(Json.NULL) instanceof Json.Str s
                        ? Path.of(s.value()) : fallback.downloadDir(),
                number(o, "speedLimitDown", fallback.downKBps()), bool(o, "speedLimitDownEnabled", fallback.downLimited()),
                number(o, "speedLimitUp", fallback.upKBps()), bool(o, "speedLimitUpEnabled", fallback.upLimited()),
                o.get("seedRatioLimit").orElse(Json.NULL) instanceof Json.Num n && n.value().signum() >= 0
                        ? n.value().doubleValue() : fallback.seedRatioLimit(),
                bool(o, "seedRatioLimited", fallback.seedRatioLimited()),
                bool(o, "startAddedTorrents", fallback.startAddedTorrents()));
    }

    private static long number(Json.Obj o, String name, long fallback) {
        if (o.get(name).orElse(Json.NULL) instanceof Json.Num n && n.value().signum() >= 0
                && n.value().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
            return n.value().longValue();
        }
        return fallback;
    }

    private static boolean bool(Json.Obj o, String name, boolean fallback) {
        return o.get(name).orElse(Json.NULL) instanceof Json.Bool b ? b.value() : fallback;
    }
}
