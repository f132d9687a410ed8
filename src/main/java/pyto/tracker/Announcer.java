package pyto.tracker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import pyto.tracker.AnnounceRequest.Event;
import pyto.tracker.TrackerStatus.State;

/**
 * Keeps one tier of trackers (BEP 12) informed about one torrent for one run of it: from its start
 * (or resume) to its pause or stop. The next run gets a new announcer, which starts with {@code started}.
 *
 * <p>The tier's URLs are shuffled once; each announce tries them in order and the first that
 * answers moves to the front, so it is asked first from then on. Every tier has its own
 * announcer (they announce in parallel, as libtorrent's "announce to all tiers" does), so a dead
 * tracker in one tier never holds up another.
 *
 * <p>The first announce is {@code started}; then one every {@code interval} the tracker asks for
 * (clamped to {@link Config#minInterval()} at least), {@code completed} once as soon as
 * {@link #completed()} is called, an early one when the torrent is short of peers
 * ({@link #announceSoon()}, never sooner than the tracker's {@code min interval}), and
 * {@code stopped} on the way out. After a failure on every URL it waits with exponential backoff
 * and jitter before trying again.
 *
 * <p>Runs on its own virtual thread: the torrent forks {@link #call()} into its scope. It ends in
 * one of two ways, and both send one best-effort {@code stopped} (when a tracker has heard our
 * {@code started}) within {@link Config#stopBudget()}, then return normally:
 * <ul>
 * <li>{@link #stop()}: an announce already on its way finishes first;
 * <li>an interrupt (the scope is cancelled): the announce on its way is abandoned (its socket is
 *     closed by the interrupt). The interrupt status is cleared so that the {@code stopped} can use
 *     a socket at all, and set again before returning. A second interrupt cuts it short.
 * </ul>
 * Other threads call {@link #completed()}, {@link #announceSoon()}, {@link #stop()} and
 * {@link #status()} at any time.
 */
public final class Announcer implements Callable<Void> {

    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());

    /** A tracker asking for more than this is asked again sooner; BEP 3 sets no upper bound. */
    static final Duration MAX_INTERVAL = Duration.ofHours(6);

    /**
     * @param minInterval no two regular or early announces closer than this, whatever the tracker says
     * @param backoffBase the wait after a first failure; it doubles with each further one
     * @param backoffMax the longest wait after failures
     * @param stopBudget how long the {@code stopped} announce on the way out may take
     */
    public record Config(Duration minInterval, Duration backoffBase, Duration backoffMax, Duration stopBudget) {
        public static final Config DEFAULTS =
                new Config(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofMinutes(30), Duration.ofSeconds(3));
    }

    private final List<Tracker> tier; // touched by the announcer thread only
    private final Supplier<AnnounceRequest> source;
    private final Consumer<List<InetSocketAddress>> peerSink;
    private final Consumer<InetAddress> externalIpSink;
    private final Config config;
    private final Random random;
    private final TimeSource time;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // guarded by lock: requests from other threads, and the schedule they are weighed against
    private boolean stopRequested;
    private boolean completedPending;
    private boolean completedSent;
    private boolean soonRequested;
    private Instant nextRegular;
    private Instant earliestEarly;
    // the announcer thread's own state
    private boolean started;
    private int failures;

    private volatile TrackerStatus status;

    /**
     * @param tier the tier's trackers, in the torrent's order; shuffled here with {@code random}
     * @param source the torrent's current numbers (port, uploaded, downloaded, left...); the
     *     announcer sets the event itself
     * @param peerSink receives the peers of each successful announce, on the announcer's thread
     */
    public Announcer(List<Tracker> tier, Supplier<AnnounceRequest> source, Consumer<List<InetSocketAddress>> peerSink,
            Config config, Random random) {
        this(tier, source, peerSink, ip -> { }, config, random, TimeSource.SYSTEM);
    }

    /** @param externalIpSink receives the address a tracker says it sees us at (BEP 24), on the announcer's thread */
    public Announcer(List<Tracker> tier, Supplier<AnnounceRequest> source, Consumer<List<InetSocketAddress>> peerSink,
            Consumer<InetAddress> externalIpSink, Config config, Random random) {
        this(tier, source, peerSink, externalIpSink, config, random, TimeSource.SYSTEM);
    }

    Announcer(List<Tracker> tier, Supplier<AnnounceRequest> source, Consumer<List<InetSocketAddress>> peerSink,
            Config config, Random random, TimeSource time) {
        this(tier, source, peerSink, ip -> { }, config, random, time);
    }

    private Announcer(List<Tracker> tier, Supplier<AnnounceRequest> source, Consumer<List<InetSocketAddress>> peerSink,
            Consumer<InetAddress> externalIpSink, Config config, Random random, TimeSource time) {
        if (tier.isEmpty()) {
            throw new IllegalArgumentException("a tier needs at least one tracker");
        }
        this.tier = new ArrayList<>(tier);
        Collections.shuffle(this.tier, random); // BEP 12: shuffle each tier once
        this.source = source;
        this.peerSink = peerSink;
        this.externalIpSink = externalIpSink;
        this.config = config;
        this.random = random;
        this.time = time;
        this.nextRegular = time.now();
        this.earliestEarly = nextRegular;
        this.status = TrackerStatus.idle(this.tier.get(0).url());
    }

    /** A snapshot for the progress display; safe from any thread. */
    public TrackerStatus status() {
        return status;
    }

    /** The download is complete: announce {@code completed} now (once; repeated calls do nothing more). */
    public void completed() {
        signal(() -> completedPending = !completedSent);
    }

    /** The torrent is short of peers: announce early, but not before the tracker's min interval. */
    public void announceSoon() {
        signal(() -> soonRequested = true);
    }

    /** Announce {@code stopped} and end; {@link #call()} returns once it has. */
    public void stop() {
        signal(() -> stopRequested = true);
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The announcer's life: announces until stopped or interrupted, then says goodbye. */
    @Override
    public Void call() {
        boolean interrupted = false;
        try {
            while (awaitTurn()) {
                announceOnce();
            }
        } catch (InterruptedException e) {
            interrupted = true; // cancelled
        }
        // The farewell needs a clear interrupt flag (a socket refuses to work for an interrupted
        // thread); an interrupt that came after stop() is kept for later as well.
        interrupted |= Thread.interrupted();
        farewell();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Waits until an announce is due; false when asked to stop instead. */
    private boolean awaitTurn() throws InterruptedException {
        lock.lock();
        try {
            while (!stopRequested) {
                Instant due = due();
                if (!time.now().isBefore(due)) {
                    return true;
                }
                if (!status.nextAnnounce().equals(Optional.of(due))) {
                    status = status.withNextAnnounce(Optional.of(due));
                }
                time.awaitUntil(wake, due);
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** When the next announce is due, given what has been asked for. Called with the lock held. */
    private Instant due() {
        if (failures > 0) {
            return nextRegular; // backing off: nothing jumps the queue, or a dead tracker gets hammered
        }
        if (completedPending && started) {
            return time.now(); // an event, not a request for peers: no min interval applies
        }
        if (soonRequested && earliestEarly.isBefore(nextRegular)) {
            return earliestEarly;
        }
        return nextRegular;
    }

    private void announceOnce() throws InterruptedException {
        Event event;
        lock.lock();
        try {
            event = !started ? Event.STARTED : completedPending ? Event.COMPLETED : Event.NONE;
        } finally {
            lock.unlock();
        }
        AnnounceRequest request = source.get().withEvent(event);
        IOException lastFailure = null;
        for (int i = 0; i < tier.size(); i++) {
            Tracker tracker = tier.get(i);
            status = status.with(tracker.url(), State.UPDATING);
            try {
                AnnounceResponse response = tracker.announce(request);
                if (i > 0) {
                    tier.remove(i);
                    tier.add(0, tracker); // BEP 12: the tracker that answered is asked first next time
                }
                onSuccess(tracker, event, response);
                return;
            } catch (IOException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("cancelled during an announce to " + tracker.url());
                }
                LOG.log(System.Logger.Level.DEBUG, tracker.url() + ": " + event + " failed: " + e.getMessage());
                lastFailure = e;
            }
        }
        onFailure(lastFailure);
    }

    private void onSuccess(Tracker tracker, Event event, AnnounceResponse response) {
        Instant now = time.now();
        Duration interval = clamp(response.interval(), config.minInterval(), MAX_INTERVAL);
        Duration minGap = clamp(response.minInterval().orElse(config.minInterval()), config.minInterval(), interval);
        lock.lock();
        try {
            started = true;
            if (event == Event.COMPLETED) {
                completedPending = false;
                completedSent = true;
            }
            soonRequested = false;
            nextRegular = now.plus(interval);
            earliestEarly = now.plus(minGap);
        } finally {
            lock.unlock();
        }
        failures = 0;
        status = new TrackerStatus(tracker.url(), State.WORKING, Optional.empty(), Optional.of(now.plus(interval)),
                response.seeders(), response.leechers(), response.peers().size(), response.warning());
        LOG.log(System.Logger.Level.DEBUG, () -> tracker.url() + ": " + event + " ok, " + response.peers().size()
                + " peers, next in " + interval.toSeconds() + " s");
        if (!response.peers().isEmpty()) {
            peerSink.accept(response.peers());
        }
        response.externalIp().ifPresent(externalIpSink);
    }

    private void onFailure(IOException failure) {
        failures++;
        Duration delay = backoff(failures);
        Instant next = time.now().plus(delay);
        lock.lock();
        try {
            nextRegular = next;
        } finally {
            lock.unlock();
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        TrackerStatus last = status;
        status = new TrackerStatus(last.url(), State.ERROR, Optional.of(message), Optional.of(next),
                last.seeders(), last.leechers(), last.peersReceived(), last.warning());
        LOG.log(failures == 1 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
                () -> "tracker " + last.url() + " failed (" + message + "), retrying in " + delay.toSeconds() + " s");
    }

    /** base, 2 base, 4 base... up to the maximum, each drawn from its upper half ("equal jitter"). */
    Duration backoff(int failureCount) {
        Duration full = config.backoffBase().multipliedBy(1L << Math.min(failureCount - 1, 20));
        if (full.compareTo(config.backoffMax()) > 0) {
            full = config.backoffMax();
        }
        long half = full.toMillis() / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** One {@code stopped} to the tracker that last answered, when one has heard our {@code started}. */
    private void farewell() {
        if (started) {
            Tracker tracker = tier.get(0);
            try {
                tracker.announce(source.get().withEvent(Event.STOPPED).withNumWant(0), config.stopBudget());
                LOG.log(System.Logger.Level.DEBUG, () -> tracker.url() + ": stopped");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, tracker.url() + ": stopped not delivered: " + e.getMessage());
            }
        }
        status = status.with(tier.get(0).url(), State.IDLE).withNextAnnounce(Optional.empty());
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
}
