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
 */
public final class DhtBench {

    private static final int CLIENTS = 2;
    private static final int WINDOW = 32;

    private DhtBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("starting 50 DHT nodes on 127.0.0.1...");
        try (TestNetwork network = TestNetwork.start(50)) {
            settle(network);
            lookups(network);
            answers(network, seconds);
        }
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
            while (node.table().size() < 16) { // 8 per bucket: 50 random ids fill some 25 places
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
