package pyto.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pyto.dht.Contact;
import pyto.dht.DhtConfig;
import pyto.dht.DhtNode;
import pyto.dht.DhtStatus;
import pyto.dht.KrpcMessage;
import pyto.dht.LookupObserver;
import pyto.dht.LookupResult;
import pyto.dht.NodeId;
import pyto.dht.StateDirectory;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.MetainfoException;

/**
 * {@code pyto dht}: a DHT node on its own (BEP 5), printing the size of its routing table now
 * and then; the bootstrap node of a local swarm, as {@code pyto tracker} is its tracker. And
 * {@code pyto dht lookup INFOHASH|MAGNET}: one get_peers lookup shown hop by hop, for people
 * learning how the DHT finds peers. Runs on the main thread; the node has its own threads.
 */
final class DhtCommand implements Main.Command {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);
    private static final Duration QUIET_STATUS_EVERY = Duration.ofMinutes(1);
    /** How long lookup waits for its node to meet the DHT before it gives up. */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(15);

    private final PrintStream out;

    DhtCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "dht";
    }

    @Override
    public String usage() {
        return "pyto dht [--port N] [--bind ADDR] [--bootstrap HOST:PORT|none ...] [--state DIR|none] [--trace]\n"
                + "                                   run a DHT node (default 0.0.0.0:6881, the public routers; on a\n"
                + "                                   loopback --bind no bootstrap node), printing its table's size\n"
                + "  pyto dht lookup INFOHASH|MAGNET [--announce PORT] [--bootstrap HOST:PORT ...] [--port N] [--bind ADDR]\n"
                + "                  [--state DIR] [--trace]\n"
                + "                                   find a torrent's peers in the DHT, showing each node asked; with\n"
                + "                                   --announce, then tell the closest nodes we are a peer on PORT";
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Args.names("-p|--port", "--bind", "--bootstrap", "--state", "--announce"), Args.names("--trace"));
        List<String> operands = args.operands();
        if (operands.isEmpty()) {
            if (args.value("--announce").isPresent()) {
                throw new UsageException("--announce goes with pyto dht lookup");
            }
            return serve(args);
        }
        if (operands.get(0).equals("lookup") && operands.size() == 2) {
            return lookup(args, parseTarget(operands.get(1)));
        }
        throw new UsageException("usage: pyto dht [options], or pyto dht lookup INFOHASH|MAGNET [options]");
    }

    // ---- pyto dht -----------------------------------------------------------------------------

    private int serve(Args args) throws Exception {
        DhtConfig config = config(args, 6881, Optional.of(StateDirectory.standard()));
        DhtNode node = DhtNode.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "pyto-shutdown"));
        out.println("DHT node " + node.id() + " on udp " + address(node.localAddress())
                + "; " + describeBootstrap(config)
                + config.stateDirectory().map(d -> "; state in " + d).orElse("; no saved state"));
        out.flush();
        int lastNodes = -1;
        long lastPrint = 0;
        while (true) {
            Thread.sleep(STATUS_EVERY);
            DhtStatus status = node.status();
            long now = System.nanoTime();
            if (status.nodes() != lastNodes || now - lastPrint >= QUIET_STATUS_EVERY.toNanos()) {
                out.println(TIME.format(LocalTime.now()) + " " + status);
                out.flush();
                lastNodes = status.nodes();
                lastPrint = now;
            }
        }
    }

    // ---- pyto dht lookup ----------------------------------------------------------------------

    private int lookup(Args args, InfoHash infoHash) throws Exception {
        DhtConfig config = config(args, 0, Optional.empty());
        try (DhtNode node = DhtNode.start(config)) {
            NodeId target = NodeId.of(infoHash);
            out.println("Looking up " + infoHash.hex() + " in the DHT from node " + node.id().shortHex()
                    + " (" + describeBootstrap(config) + ")");
            out.println("The distance between two ids is their XOR: the more leading bits they share, the closer.");
            if (!join(node)) {
                out.println("No DHT node answered within " + JOIN_WAIT.toSeconds() + " s: nothing to look up from.");
                return Main.FAILURE;
            }
            int known = node.status().nodes();
            out.println("Our routing table knows " + known + (known == 1 ? " node" : " nodes") + "; asking the closest to "
                    + target.shortHex() + "...");
            int announcePort = args.intValue("--announce", 0, 1, 65535);
            LookupResult result = announcePort > 0
                    ? node.announce(infoHash, announcePort, false, new HopPrinter(target))
                    : node.getPeers(infoHash, new HopPrinter(target));
            out.println();
            out.printf("%d queries, %d answers, %d ms. The closest nodes that answered:%n",
                    result.queries(), result.answers(), result.elapsed().toMillis());
            for (Contact c : result.closest()) {
                out.printf("  %-28s %s in common%n", c, bits(c.id().sharedPrefixBits(target)));
            }
            out.println(result.peers().isEmpty() ? "No peers found." : plural(result.peers().size(), "peer") + " found:");
            result.peers().forEach(p -> out.println("  " + address(p)));
            if (announcePort > 0) {
                out.println("Announced port " + announcePort + " to " + result.announced() + " of the "
                        + result.tokens().size() + " closest nodes that gave a token.");
                return result.announced() > 0 ? Main.OK : Main.FAILURE;
            }
            return result.peers().isEmpty() ? Main.FAILURE : Main.OK;
        }
    }

    /** Waits until the node's bootstrap has met a few nodes (or one, after a while). */
    private static boolean join(DhtNode node) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < JOIN_WAIT.toNanos()) {
            int nodes = node.status().nodes();
            if (nodes >= 8 || (nodes > 0 && System.nanoTime() - start > Duration.ofSeconds(3).toNanos())) {
                return true;
            }
            Thread.sleep(50);
        }
        return node.status().nodes() > 0;
    }

    /** One line per hop of the lookup. */
    private final class HopPrinter implements LookupObserver {
        private final NodeId target;

        HopPrinter(NodeId target) {
            this.target = target;
        }

        @Override
        public void asked(Contact node) {
            out.printf("  ask    %-28s %s in common%n", node, bits(node.id().sharedPrefixBits(target)));
        }

        @Override
        public void answered(Contact node, KrpcMessage.Response response) {
            List<String> parts = new ArrayList<>();
            if (!response.nodes().isEmpty()) {
                int best = response.nodes().stream().mapToInt(c -> c.id().sharedPrefixBits(target)).max().orElse(0);
                parts.add(plural(response.nodes().size(), "node") + " (the closest shares " + bits(best) + ")");
            }
            if (!response.values().isEmpty()) {
                parts.add(plural(response.values().size(), "peer"));
            }
            response.token().ifPresent(t -> parts.add("a token to announce with"));
            out.printf("  answer %-28s %s%n", node, parts.isEmpty() ? "nothing" : String.join(", ", parts));
        }

        @Override
        public void failed(Contact node, String why) {
            out.printf("  failed %-28s %s%n", node, why);
        }
    }

    // ---- options ------------------------------------------------------------------------------

    private DhtConfig config(Args args, int defaultPort, Optional<Path> defaultState) throws UsageException {
        int port = args.intValue("--port", defaultPort, 0, 65535);
        String bindText = args.value("--bind").orElse("0.0.0.0");
        InetAddress bind;
        try {
            bind = InetAddress.getByName(bindText);
        } catch (UnknownHostException e) {
            throw new UsageException("--bind: unknown address " + bindText);
        }
        Optional<Path> state = args.value("--state").isPresent()
                ? args.value("--state").filter(s -> !s.equals("none")).map(Path::of)
                : defaultState;
        DhtConfig config = DhtConfig.of(bind, port).withBootstrap(bootstrap(args, bind));
        config = state.map(config::withStateDirectory).orElse(config);
        if (args.flag("--trace")) {
            config = config.withTrace(new TracePrinter(out));
        }
        return config;
    }

    /** --bootstrap values; by default the public routers, except on loopback where they cannot be reached. */
    private static List<InetSocketAddress> bootstrap(Args args, InetAddress bind) throws UsageException {
        List<String> values = args.values("--bootstrap");
        if (values.isEmpty()) {
            return bind.isLoopbackAddress() ? List.of() : DhtConfig.PUBLIC_ROUTERS;
        }
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String v : values) {
            if (!v.equals("none")) {
                nodes.add(PeerAddresses.parse("--bootstrap", v, false)); // the node looks names up itself
            }
        }
        return nodes;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String bits(int n) {
        return String.format("%3d bit%s", n, n == 1 ? " " : "s");
    }

    private static String describeBootstrap(DhtConfig config) {
        int n = config.bootstrap().size();
        return n == 0 ? "no bootstrap node" : "bootstrap from " + n + " node" + (n == 1 ? "" : "s");
    }

    private static String address(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * 40 hex digits or 32 base32 letters, alone or as a magnet link's {@code xt=urn:btih:}:
     * read by the magnet links' own parser ({@link MagnetLink}), a bare hash as the link it names.
     */
    static InfoHash parseTarget(String text) throws UsageException {
        try {
            return MagnetLink.parse(text.startsWith("magnet:") ? text : "magnet:?xt=urn:btih:" + text).infoHash();
        } catch (MetainfoException e) {
            throw new UsageException("not an info hash or a magnet link (40 hex digits or 32 base32 letters): "
                    + e.getMessage());
        }
    }
}
