package pyto.cli;

import java.io.Console;
import java.io.PrintStream;

/**
 * Where progress goes: a live line that rewrites itself when stdout is a terminal, plain lines
 * when it is a pipe or a file (a log should read well, with no carriage returns in it).
 */
final class Terminal {

    private static final boolean INTERACTIVE = detect();

    private Terminal() {
    }

    static boolean isInteractive() {
        return INTERACTIVE;
    }

    /** What to print before a log line so it does not land in the middle of a live status line. */
    static String clearLine() {
        return INTERACTIVE ? "\r\033[K" : "";
    }

    static PrintStream out() {
        return System.out;
    }

    private static boolean detect() {
        if (System.getenv("PYTO_PLAIN") != null) {
            return false;
        }
        Console console = System.console();
        // JDK 22+ returns a console even when redirected; isTerminal() tells the truth there
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console means a terminal
        }
    }
}
