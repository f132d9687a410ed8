package pyto.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pyto.metainfo.MetainfoException;

/**
 * pyto's command line: {@code pyto COMMAND [options]}, or {@code pyto FILE.torrent [options]}
 * (or a magnet link) to download. Runs on the main thread; each command returns its exit code:
 * 0 success, 1 failure, 2 bad usage or bad input, 130 interrupted.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int INTERRUPTED = 130;

    static final String VERSION = pyto.wire.PeerId.VERSION;

    /** One sub-command: its name, one line for the help, and what it does. */
    interface Command {
        String name();

        String usage();

        int run(List<String> args) throws Exception;
    }

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> args = Arrays.asList(argv);
        boolean verbose = args.contains("--verbose") || args.contains("-v");
        Logging.configure(verbose);
        Map<String, Command> commands = commands();
        try {
            if (args.isEmpty() || Args.HELP.contains(args.get(0)) || args.get(0).equals("help")) {
                printHelp(out, commands);
                return args.isEmpty() ? USAGE : OK;
            }
            if (args.get(0).equals("--version")) {
                out.println("pyto " + VERSION);
                return OK;
            }
            Command command = commands.get(args.get(0));
            List<String> rest = args.subList(1, args.size());
            if (command == null) {
                if (args.get(0).startsWith("-") || !(args.get(0).endsWith(".torrent") || args.get(0).startsWith("magnet:"))) {
                    throw new UsageException("unknown command '" + args.get(0) + "' (try pyto --help)");
                }
                command = commands.get("download"); // pyto FILE.torrent|MAGNET is pyto download FILE.torrent|MAGNET
                rest = args;
            }
            if (rest.stream().anyMatch(Args.HELP::contains)) {
                out.println("usage: " + command.usage());
                return OK;
            }
            return command.run(rest.stream().filter(a -> !a.equals("--verbose") && !a.equals("-v")).toList());
        } catch (UsageException e) {
            err.println("pyto: " + e.getMessage());
            return USAGE;
        } catch (MetainfoException e) {
            report(err, e, verbose);
            return USAGE;
        } catch (InterruptedException e) {
            err.println("pyto: interrupted");
            return INTERRUPTED;
        } catch (IOException | RuntimeException e) {
            report(err, e, verbose);
            return FAILURE;
        } catch (Exception e) {
            report(err, e, verbose);
            return FAILURE;
        }
    }

    /** One clear line; the stack trace only with --verbose. */
    private static void report(PrintStream err, Exception e, boolean verbose) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        err.println(Terminal.clearLine() + "pyto: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
    }

    private static Map<String, Command> commands() {
        Map<String, Command> commands = new TreeMap<>();
        for (Command c : List.<Command>of(
                new InfoCommand(System.out),
                new CreateCommand(System.out),
                new DownloadCommand(System.out, false),
                new DownloadCommand(System.out, true),
                new TrackerCommand(System.out),
                new DaemonCommand(System.err),
                new RemoteCommand(System.out),
                new DhtCommand(System.out),
                new DemoCommand(System.out))) {
            commands.put(c.name(), c);
        }
        return commands;
    }

    private static void printHelp(PrintStream out, Map<String, Command> commands) {
        out.println("pyto " + VERSION + ": a BitTorrent client");
        out.println();
        out.println("usage: pyto COMMAND [options]     (pyto FILE.torrent|MAGNET ... is pyto download FILE.torrent|MAGNET ...)");
        out.println();
        for (Command c : commands.values()) {
            out.println("  " + c.usage());
        }
        out.println();
        out.println("Every command takes --verbose for detail and stack traces, and --help.");
    }
}
