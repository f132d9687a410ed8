package pyto.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import pyto.dht.KrpcMessage.FindNode;
import pyto.dht.Transactions.Outcome;

/**
 * Joining the DHT (BEP 5): ask the nodes saved from the last run, then the bootstrap nodes
 * (well-known routers, a .torrent's "nodes", {@code --bootstrap}) for the nodes closest to our
 * own id. Those that answer enter the routing table; a lookup of our own id then fills the
 * buckets around us, and the other nodes learn of us from our queries.
 *
 * <p>Host names are resolved here, each on a virtual thread of its own with a time limit:
 * a resolver cannot be interrupted, and a thread of the node's scope stuck in it would hold
 * up {@link DhtNode#close()}; such a thread ends when the resolver gives up. Runs on the
 * node's maintenance thread.
 */
final class Bootstrap {

    private static final long RESOLVE_SECONDS = 5;
    /** Saved nodes asked at once: plenty of them answer after a short break. */
    private static final int SAVED_ASKED = 64;

    private final DhtNode node;
    private final List<Contact> saved;
    private final List<InetSocketAddress> configured;

    Bootstrap(DhtNode node, List<Contact> saved, List<InetSocketAddress> configured) {
        this.node = node;
        this.saved = List.copyOf(saved);
        this.configured = List.copyOf(configured);
    }

    boolean hasNodesToAsk() {
        return !saved.isEmpty() || !configured.isEmpty();
    }

    String describe() {
        return configured.size() + " bootstrap node" + (configured.size() == 1 ? "" : "s")
                + (saved.isEmpty() ? "" : " and " + saved.size() + " saved nodes");
    }

    /** One round; true when the routing table has nodes afterwards. */
    boolean run() throws InterruptedException {
        List<InetSocketAddress> targets = new ArrayList<>();
        saved.stream().limit(SAVED_ASKED).map(Contact::address).forEach(targets::add);
        targets.addAll(resolve(configured));
        NodeId own = node.id();
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        int sent = 0;
        for (InetSocketAddress target : targets) {
            if (node.query(target, tid -> new FindNode(tid, own, own), outcomes::add)) {
                sent++;
            }
        }
        long deadline = System.nanoTime() + node.limits().queryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < sent; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || outcomes.poll(left, TimeUnit.NANOSECONDS) == null) {
                break;
            }
        }
        if (node.table().size() == 0) {
            return false;
        }
        node.findNode(own, LookupObserver.NONE);
        return true;
    }

    /** The addresses, host names resolved; those that cannot be resolved in time are left out. */
    static List<InetSocketAddress> resolve(List<InetSocketAddress> addresses) throws InterruptedException {
        List<CompletableFuture<Optional<InetSocketAddress>>> pending = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            pending.add(a.isUnresolved() ? resolveInBackground(a) : CompletableFuture.completedFuture(Optional.of(a)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESOLVE_SECONDS);
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (CompletableFuture<Optional<InetSocketAddress>> f : pending) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).ifPresent(resolved::add);
            } catch (TimeoutException | ExecutionException e) {
                // unknown or slow to resolve: left out this round
            }
        }
        return resolved;
    }

    static CompletableFuture<Optional<InetSocketAddress>> resolveInBackground(InetSocketAddress address) {
        CompletableFuture<Optional<InetSocketAddress>> result = new CompletableFuture<>();
        Thread.ofVirtual().name("dht-resolve " + address.getHostString()).start(() -> {
            try {
                result.complete(Optional.of(new InetSocketAddress(InetAddress.getByName(address.getHostString()), address.getPort())));
            } catch (Exception e) {
                result.complete(Optional.empty());
            }
        });
        return result;
    }
}
