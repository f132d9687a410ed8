package pyto.dht;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Keeps the node's routing table full and fresh, on one virtual thread of the node's scope:
 * <ul>
 * <li>while the table is empty, bootstraps, waiting longer after each round nothing answered
 *     (doubling up to {@code bootstrapMaxRetry}); says so once in the log, not once a round;
 * <li>refreshes buckets nothing happened in for 15 minutes with a lookup of a random id in
 *     them (BEP 5);
 * <li>pings questionable nodes, which either answer and are good again, or fail and make way
 *     for a replacement;
 * <li>expires stored peers, updates the traffic rates, and saves the state now and then.
 * </ul>
 * Lookups run here, on this thread, so closing the node (which interrupts it) ends them.
 */
final class Maintenance {

    private static final System.Logger LOG = System.getLogger(Maintenance.class.getName());
    private static final Duration SAVE_EVERY = Duration.ofMinutes(10);
    private static final int PINGS_PER_ROUND = 16;

    private final DhtNode node;
    private final Bootstrap bootstrap;
    private final DhtLimits limits;
    private final Random random = new SecureRandom();
    private Instant lastSave = Instant.now();

    Maintenance(DhtNode node, Bootstrap bootstrap) {
        this.node = node;
        this.bootstrap = bootstrap;
        this.limits = node.limits();
    }

    void run() throws InterruptedException {
        Duration retry = limits.bootstrapRetry();
        boolean warned = false;
        while (!Thread.currentThread().isInterrupted()) {
            if (node.table().size() == 0) {
                if (!bootstrap.hasNodesToAsk()) {
                    // nobody to ask: wait to be asked (the first node of a swarm, say)
                    upkeep();
                    Thread.sleep(limits.maintenanceInterval());
                    continue;
                }
                if (!bootstrap.run()) {
                    if (!warned) {
                        LOG.log(System.Logger.Level.WARNING, "DHT: no bootstrap node answered (" + bootstrap.describe()
                                + "); trying again in the background");
                        warned = true;
                    }
                    upkeep();
                    Thread.sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(limits.bootstrapMaxRetry()) > 0
                            ? limits.bootstrapMaxRetry() : retry.multipliedBy(2);
                    continue;
                }
                if (warned) {
                    LOG.log(System.Logger.Level.INFO, "DHT: a bootstrap node answered; " + node.table().size() + " nodes known");
                    warned = false;
                }
                retry = limits.bootstrapRetry();
            }
            for (NodeId target : node.table().refreshTargets(limits.refreshAfter(), random)) {
                node.findNode(target, LookupObserver.NONE);
            }
            upkeep();
            Thread.sleep(limits.maintenanceInterval());
        }
    }

    private void upkeep() {
        for (Contact c : node.table().toPing(limits.maintenanceInterval().multipliedBy(2), PINGS_PER_ROUND)) {
            node.ping(c.address());
        }
        node.store().expire();
        node.traffic().tick();
        if (Duration.between(lastSave, Instant.now()).compareTo(SAVE_EVERY) >= 0) {
            lastSave = Instant.now();
            node.saveState();
        }
    }
}
