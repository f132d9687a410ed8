package pyto.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import pyto.tracker.TrackerServer;

/** {@code pyto tracker}: runs the embedded tracker until interrupted. */
final class TrackerCommand implements Main.Command {

    private final PrintStream out;

    TrackerCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "tracker";
    }

    @Override
    public String usage() {
        return "pyto tracker [--port N] [--bind ADDR] [--interval SECONDS]\n"
                + "                                   run a tracker (default 127.0.0.1:6969, announce interval 1800 s)";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("-p|--port", "--bind", "--interval"), Args.names());
        if (!args.operands().isEmpty()) {
            throw new UsageException("pyto tracker takes no operands: " + args.operands());
        }
        int port = args.intValue("--port", 6969, 0, 65535);
        int interval = args.intValue("--interval", 1800, 1, 86400);
        InetAddress bind;
        try {
            bind = InetAddress.getByName(args.value("--bind").orElse("127.0.0.1"));
        } catch (UnknownHostException e) {
            throw new UsageException("--bind: unknown address " + args.value("--bind").orElse(""));
        }
        TrackerServer.Config config = TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(interval));
        TrackerServer server = TrackerServer.start(new InetSocketAddress(bind, port), config);
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pyto-shutdown"));
        out.println("tracker listening: " + server.announceUrl());
        out.flush();
        forever.await();
        return Main.OK;
    }
}
