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
        return "pyto tracker [--port N] [--udp-port N|off] [--bind ADDR] [--interval SECONDS]\n"
                + "                                   run a tracker over HTTP and UDP (default 127.0.0.1:6969 for both,\n"
                + "                                   announce interval 1800 s)";
    }

    /** BEP 15 on the HTTP port's number by default; "off" for none. */
    private static int udpPort(Args args) throws UsageException {
        if (args.value("--udp-port").filter("off"::equals).isPresent()) {
            return TrackerServer.Config.UDP_OFF;
        }
        return args.value("--udp-port").isPresent()
                ? args.intValue("--udp-port", 0, 0, 65535) : TrackerServer.Config.UDP_SAME_PORT;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("-p|--port", "--udp-port", "--bind", "--interval"), Args.names());
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
        TrackerServer.Config config = TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(interval))
                .withUdpPort(udpPort(args));
        TrackerServer server = TrackerServer.start(new InetSocketAddress(bind, port), config);
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pyto-shutdown"));
        out.println("tracker listening: " + server.announceUrl()
                + server.udpAnnounceUrl().map(u -> " and " + u).orElse(""));
        out.flush();
        forever.await();
        return Main.OK;
    }
}
