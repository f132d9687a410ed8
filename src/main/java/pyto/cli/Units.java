package pyto.cli;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for the command line (powers of 1024). */
final class Units {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** 1012345 -> "988.6 KiB". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f %s", value, UNITS[unit]); // 16 KiB, not 16.0 KiB
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, UNITS[unit]);
    }

    /** Bytes per second: "12.3 MiB/s". */
    static String rate(double bytesPerSecond) {
        return size(Math.round(bytesPerSecond)) + "/s";
    }

    /** 1012345 -> "1,012,345". */
    static String exact(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A short duration: "42s", "3m07s", "2h05m", "3d04h". */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }
}
