package pyto.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.peer.Handshakes;
import pyto.peer.Swarm;

/**
 * Connects a torrent to the peers it has heard of (BEP 3): each dial, handshake included, on
 * its own virtual thread in the torrent's scope, a few at a time. Runs in the torrent's main
 * task, waking when new addresses arrive, a peer leaves, or a second has passed.
 */
final class Dialer {

    private static final System.Logger LOG = System.getLogger(Dialer.class.getName());

    /** Dials in progress at once: enough to fill a swarm quickly, few enough not to flood. */
    static final int MAX_HALF_OPEN = 8;
    static final Duration IDLE_WAIT = Duration.ofSeconds(1);

    private final Session session;
    private final Swarm swarm;
    private final PeerDirectory directory;
    private final Semaphore halfOpen = new Semaphore(MAX_HALF_OPEN);  // a permit per dial in progress
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean woken;

    Dialer(Session session, Swarm swarm, PeerDirectory directory) {
        this.session = session;
        this.swarm = swarm;
        this.directory = directory;
    }

    /** Dials until the scope is cancelled. The dialler outlives a run: every permit taken is given back. */
    void run(Scope scope) throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            int room = Math.min(halfOpen.availablePermits(),
                    session.config().maxPeersPerTorrent() - swarm.peers().size());
            if (room > 0 && !session.isFull()) {
                for (InetSocketAddress address : directory.takeDialable(room)) {
                    if (!address.isUnresolved() && session.isOwnAddress(address)) {
                        directory.markSelf(address);
                        continue;
                    }
                    if (!address.isUnresolved() && swarm.isBanned(address)) {
                        directory.forget(address); // it sent us corrupt data: never again
                        continue;
                    }
                    halfOpen.acquire();
                    try {
                        scope.fork("dial " + address, () -> dial(scope, address));
                    } catch (IllegalStateException stopping) {
                        halfOpen.release(); // the dial never started: its permit is not owed
                        directory.ended(address);
                        return;
                    }
                }
            }
            awaitWake();
        }
    }

    /**
     * One dial, on its own virtual thread. A peer given by name (a magnet link's {@code x.pe},
     * say) is looked up here, on this thread, so that a slow name server holds up no one else.
     */
    private void dial(Scope scope, InetSocketAddress address) {
        InetSocketAddress target = address;
        try {
            if (address.isUnresolved()) {
                target = new InetSocketAddress(address.getHostString(), address.getPort());
                if (target.isUnresolved() || session.isOwnAddress(target) || swarm.isBanned(target)) {
                    directory.failed(address);
                    return;
                }
                directory.resolved(address, target);
            }
            Handshakes.Opened opened = Handshakes.dial(target, swarm.handshake());
            if (swarm.start(scope, opened, target).isEmpty()) {
                directory.ended(target);
            }
        } catch (Handshakes.SelfConnectionException e) {
            directory.markSelf(target);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "dial {0} failed: {1}", address, e.getMessage() != null ? e.getMessage() : e.toString());
            directory.failed(target);
        } finally {
            halfOpen.release();
        }
    }

    /** Dials that may start now (for tests). */
    int freePermits() {
        return halfOpen.availablePermits();
    }

    /** New addresses, or room for another peer: look again now rather than in a second. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void awaitWake() throws InterruptedException {
        lock.lock();
        try {
            if (!woken) {
                wake.await(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }
}
