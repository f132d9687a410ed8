package pyto.dht;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import pyto.bencode.BString;
import pyto.dht.KrpcMessage.FindNode;
import pyto.dht.KrpcMessage.GetPeers;
import pyto.dht.KrpcMessage.Ping;
import pyto.dht.KrpcMessage.Query;
import pyto.metainfo.InfoHash;

/**
 * DHT figures for tools/bench, printed, not asserted:
 * <ol>
 * <li>queries one node answers per second: its reader thread answers every query, so this is
 *     one core's worth. Clients on other threads keep a window of queries in flight (ping,
 *     find_node and get_peers in turn) at a node that knows 49 others;
 * <li>the time and queries of a find_node lookup in a network of 50 nodes on 127.0.0.1.
 * </ol>
 * Run: {@code java -cp target/classes:target/test-classes pyto.dht.DhtBench [SECONDS]}.
 *
 * <p>It cannot hang: every wait is bounded (a node's bootstrap, each lookup, the measuring
 * node's table), and a watchdog on a daemon thread ends the JVM with a message and exit code 2
 * if the whole run takes far longer than it should. A failed step prints one line and exits 1.
 */
public final class DhtBench {

    private static final int CLIENTS = 2;
    private static final int WINDOW = 32;
    /** Nodes the measuring node must know before the clients start: 8 per bucket, 50 random ids fill some 25 places. */
    private static final int TABLE_BEFORE_MEASURING = 16;
    private static final Duration TABLE_WAIT = Duration.ofSeconds(15);
    /** The whole run, beyond the measured seconds; a normal run takes some 10 to 20 s on 2 cores. */
    private static final Duration WATCHDOG = Duration.ofMinutes(3);

    private DhtBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (seconds < 1 || seconds > 600) {
            System.err.println("DhtBench: SECONDS must be 1 to 600, not " + seconds);
            System.exit(2);
        }
        startWatchdog(WATCHDOG.plusSeconds(seconds));
        System.out.println("starting 50 DHT nodes on 127.0.0.1...");
        try (TestNetwork network = TestNetwork.start(50)) {
            settle(network);
            lookups(network);
            answers(network, seconds);
        } catch (IOException | IllegalStateException e) {
            System.err.println("DhtBench: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Ends the JVM, whatever its threads are doing, once {@code limit} has passed. */
    private static void startWatchdog(Duration limit) {
        Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("DhtBench: still running after " + limit.toSeconds() + " s; giving up");
            Runtime.getRuntime().halt(2);
        });
    }

    /** Every node looks up its own id once, as a refresh would: tables fill beyond bootstrap. */
    private static void settle(TestNetwork network) throws InterruptedException {
        for (DhtNode node : network.nodes) {
            node.findNode(node.id(), LookupObserver.NONE);
        }
    }

    private static void lookups(TestNetwork network) throws InterruptedException {
        Random random = new Random(1);
        List<Long> micros = new ArrayList<>();
        List<Integer> queries = new ArrayList<>();
        int exact = 0;
        int rounds = 200;
        for (int i = 0; i < rounds; i++) {
            DhtNode from = network.nodes.get(random.nextInt(network.nodes.size()));
            NodeId target = NodeId.random(random);
            LookupResult r = from.findNode(target, LookupObserver.NONE);
            micros.add(r.elapsed().toNanos() / 1000);
            queries.add(r.queries());
            if (r.closest().stream().map(Contact::id).toList().equals(network.closestIds(target, from, 8))) {
                exact++;
            }
        }
        micros.sort(null);
        queries.sort(null);
        System.out.printf("lookup in a 50-node network (%d lookups): time median %.1f ms, p90 %.1f ms, max %.1f ms;"
                        + " queries median %d, p90 %d, max %d; found the true 8 closest in %d of %d%n",
                rounds, micros.get(rounds / 2) / 1000.0, micros.get(rounds * 9 / 10) / 1000.0, micros.getLast() / 1000.0,
                queries.get(rounds / 2), queries.get(rounds * 9 / 10), queries.getLast(), exact, rounds);
    }

    private static void answers(TestNetwork network, int seconds) throws Exception {
        // a node of its own, without rate limits, that knows the network
        DhtNode node = DhtNode.start(TestNetwork.config().withLimits(TestNetwork.FAST.withRates(1 << 30, 1e9, 0)));
        try {
            network.nodes.forEach(n -> node.addNode(new InetSocketAddress(TestNetwork.LOOPBACK, n.port())));
            // Answers lost (a full socket buffer) or a table that splits badly could leave it
            // short for ever: the wait is bounded.
            long deadline = System.nanoTime() + TABLE_WAIT.toNanos();
            while (node.table().size() < TABLE_BEFORE_MEASURING) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the measuring node knows " + node.table().size() + " of the 50 nodes after "
                            + TABLE_WAIT.toSeconds() + " s, fewer than the " + TABLE_BEFORE_MEASURING + " it needs");
                }
                Thread.sleep(10);
            }
            InetSocketAddress target = new InetSocketAddress(TestNetwork.LOOPBACK, node.port());
            AtomicLong answered = new AtomicLong();
            long warmUpEnd = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            long end = warmUpEnd + Duration.ofSeconds(seconds).toNanos();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int seed = c;
                clients.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> client(target, seed, warmUpEnd, end, answered)));
            }
            for (Thread t : clients) {
                t.join();
            }
            System.out.printf("queries answered per second by one node (one reader thread, %d client threads"
                    + " on the same %d-core machine): %.0f%n", CLIENTS, Runtime.getRuntime().availableProcessors(),
                    answered.get() / (double) seconds);
            System.out.println("node status: " + node.status());
        } finally {
            node.close();
        }
    }

    private static void client(InetSocketAddress target, int seed, long warmUpEnd, long end, AtomicLong answered) {
        Random random = new Random(seed);
        NodeId me = NodeId.random(random);
        byte[] buffer = new byte[4096];
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(TestNetwork.LOOPBACK, 0))) {
            socket.setSoTimeout(200);
            int n = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < WINDOW; i++) {
                    byte[] q = KrpcCodec.encode(query(n++, me, random));
                    socket.send(new DatagramPacket(q, q.length, target));
                }
                for (int i = 0; i < WINDOW; i++) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    KrpcMessage m = KrpcCodec.decode(Arrays.copyOf(buffer, p.getLength()));
                    long now = System.nanoTime();
                    if (!(m instanceof Query) && now > warmUpEnd && now < end) {
                        answered.incrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Query query(int n, NodeId me, Random random) {
        BString tid = new BString(new byte[] {(byte) (n >> 8), (byte) n});
        return switch (n % 3) {
            case 0 -> new Ping(tid, me);
            case 1 -> new FindNode(tid, me, NodeId.random(random));
            default -> new GetPeers(tid, me, new InfoHash(NodeId.random(random).bytes()));
        };
    }
}
