package pyto.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sets up the backend behind {@code System.Logger}: the JDK's java.util.logging, writing one
 * line per record to stderr. Normally only warnings and errors, without stack traces, so a
 * user sees one clear line per problem; {@code --verbose} shows debug detail and traces.
 *
 * <p>Only {@code pyto.cli} configures logging; every other package just logs.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler(); // stderr
        Level level = verbose ? Level.FINE : Level.WARNING;
        handler.setLevel(level);
        handler.setFormatter(new OneLine(verbose));
        root.addHandler(handler);
        root.setLevel(level);
        // the JDK's own chatter (HTTP client, sockets) stays quiet even in verbose mode
        Logger.getLogger("jdk").setLevel(Level.WARNING);
        Logger.getLogger("sun").setLevel(Level.WARNING);
        Logger.getLogger("java").setLevel(Level.WARNING); // e.g. Runtime.exit's own debug line
    }

    /** Info lines too (unless --verbose shows even more): a daemon says what it does. */
    static void showInfo() {
        Logger root = Logger.getLogger("");
        if (root.getLevel() == null || root.getLevel().intValue() > Level.INFO.intValue()) {
            root.setLevel(Level.INFO);
            for (var h : root.getHandlers()) {
                h.setLevel(Level.INFO);
            }
        }
    }

    private static final class OneLine extends Formatter {
        private final boolean verbose;

        OneLine(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public String format(LogRecord r) {
            String where = verbose ? " [" + shortName(r.getLoggerName()) + " " + Thread.currentThread().getName() + "]" : "";
            StringBuilder line = new StringBuilder(Terminal.clearLine())
                    .append("pyto: ").append(levelWord(r.getLevel())).append(where).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (verbose && r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String levelWord(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "error";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "warning";
            }
            return level.intValue() >= Level.INFO.intValue() ? "info" : "debug";
        }

        private static String shortName(String logger) {
            return logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
        }
    }
}
