package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.concurrent.Scope;
import pyto.concurrent.Task;
import pyto.tracker.AnnounceRequest.Event;
import pyto.tracker.FakeTracker.Call;
import pyto.tracker.TrackerStatus.State;

/**
 * The announcer on jumping time (see {@link FakeTime}): most tests run it on the test thread and
 * let the fake tracker's script call {@code stop()}, so a whole schedule is checked from the log.
 */
class AnnouncerTest {

    static final Announcer.Config CONFIG = Announcer.Config.DEFAULTS; // 10 s floor, backoff 15 s .. 30 min, stop 3 s
    static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7001);

    private final FakeTime time = new FakeTime();
    private final List<Call> log = new CopyOnWriteArrayList<>();
    private final List<List<InetSocketAddress>> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Announcer> announcer = new AtomicReference<>();
    /** What the torrent does on receiving peers: nothing, unless a test says otherwise. */
    private volatile Runnable onPeers = () -> { };
    private int threadsBefore;

    @BeforeEach
    void countThreads() {
        threadsBefore = Scope.liveThreads();
    }

    @AfterEach
    void noThreadLeft() {
        await().atMost(Duration.ofSeconds(5)).until(() -> Scope.liveThreads() == threadsBefore);
    }

    private Announcer announcer(TimeSource timeSource, Tracker... tier) {
        Announcer a = new Announcer(List.of(tier), () -> HttpTrackerTest.request(Event.NONE), peers -> {
            received.add(peers);
            onPeers.run();
        }, CONFIG, new Random(1), timeSource);
        announcer.set(a);
        return a;
    }

    private Announcer announcer(Tracker... tier) {
        return announcer(time, tier);
    }

    private FakeTracker tracker(String url, FakeTracker.Script script) {
        return new FakeTracker(url, time, log, script);
    }

    private void stop() {
        announcer.get().stop();
    }

    private List<Event> events() {
        return log.stream().map(Call::event).toList();
    }

    private List<Long> seconds() {
        return log.stream().map(Call::second).toList();
    }

    @Test
    void startedFirstThenEveryIntervalThenStopped() {
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 4) {
                stop();
            }
            return FakeTracker.ok(1800, PEER);
        }));
        assertThat(a.status().state()).isEqualTo(State.IDLE);
        a.call();
        assertThat(events()).containsExactly(Event.STARTED, Event.NONE, Event.NONE, Event.NONE, Event.STOPPED);
        assertThat(seconds()).containsExactly(0L, 1800L, 3600L, 5400L, 5400L);
        assertThat(log.get(4).budget()).isEqualTo(CONFIG.stopBudget());
        assertThat(received).hasSize(4).allSatisfy(peers -> assertThat(peers).containsExactly(PEER));
        assertThat(a.status().state()).isEqualTo(State.IDLE);
        assertThat(a.status().nextAnnounce()).isEmpty();
    }

    @Test
    void statusShowsTheLastReply() {
        AtomicReference<TrackerStatus> seen = new AtomicReference<>();
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 2) {
                seen.set(announcer.get().status());
                stop();
            }
            return FakeTracker.ok(600, PEER);
        }));
        a.call();
        TrackerStatus s = seen.get();
        assertThat(s.state()).isEqualTo(State.UPDATING); // caught in the middle of the second announce
        assertThat(s.url()).isEqualTo("http://a");
        assertThat(s.seeders()).hasValue(3);
        assertThat(s.leechers()).hasValue(4);
        assertThat(s.peersReceived()).isEqualTo(1);
        assertThat(s.nextAnnounce()).contains(FakeTime.T0.plusSeconds(600));
    }

    @Test
    void sillyIntervalsAreClamped() {
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 3) {
                stop();
            }
            return FakeTracker.ok(n == 1 ? 0 : 10_000_000);
        }));
        a.call();
        assertThat(seconds()).containsExactly(0L, 10L, 10L + Announcer.MAX_INTERVAL.toSeconds(), 10L + Announcer.MAX_INTERVAL.toSeconds());
    }

    @Test
    void completedIsSentAtOnceAndOnlyOnce() {
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 2 || n == 4) {
                announcer.get().completed(); // the second call must change nothing
            }
            if (n == 5) {
                stop();
            }
            return FakeTracker.ok(1800);
        }));
        a.call();
        assertThat(events()).containsExactly(Event.STARTED, Event.NONE, Event.COMPLETED, Event.NONE, Event.NONE, Event.STOPPED);
        assertThat(seconds()).containsExactly(0L, 1800L, 1800L, 3600L, 5400L, 5400L);
    }

    @Test
    void announceSoonWaitsForTheMinInterval() {
        onPeers = () -> {
            if (received.size() == 1) {
                announcer.get().announceSoon(); // the first peers were not enough
            }
        };
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 3) {
                stop();
            }
            return FakeTracker.ok(1800, 120, PEER);
        }));
        a.call();
        assertThat(seconds()).containsExactly(0L, 120L, 1920L, 1920L);
    }

    @Test
    void announceSoonWithoutMinIntervalWaitsForTheFloor() {
        onPeers = () -> announcer.get().announceSoon(); // always short of peers
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 3) {
                stop();
            }
            return FakeTracker.ok(1800, PEER);
        }));
        a.call();
        assertThat(seconds()).containsExactly(0L, 10L, 20L, 20L);
    }

    @Test
    void announceSoonDuringAnAnnounceIsAnsweredByIt() {
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            announcer.get().announceSoon(); // this very announce brings the peers asked for
            if (n == 2) {
                stop();
            }
            return FakeTracker.ok(1800, PEER);
        }));
        a.call();
        assertThat(seconds()).containsExactly(0L, 1800L, 1800L);
    }

    @Test
    void failuresBackOffExponentiallyWithJitterThenRecover() {
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n <= 12) {
                throw new IOException("connection refused");
            }
            if (n == 14) {
                stop();
            }
            return FakeTracker.ok(1800);
        }));
        a.call();
        assertThat(events()).startsWith(Event.STARTED, Event.STARTED).endsWith(Event.STARTED, Event.NONE, Event.STOPPED);
        List<Long> s = seconds();
        for (int failure = 1; failure <= 12; failure++) {
            long full = Math.min(15L << (failure - 1), 1800);
            long gap = s.get(failure) - s.get(failure - 1);
            assertThat(gap).as("wait after failure %d", failure).isBetween(full / 2, full);
        }
        assertThat(s.get(13) - s.get(12)).isEqualTo(1800); // back to the tracker's interval
    }

    @Test
    void whileWaitingTheStatusNamesTheErrorAndTheRetryTime() {
        List<TrackerStatus> waiting = new CopyOnWriteArrayList<>();
        time.onWait = () -> waiting.add(announcer.get().status());
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 2) {
                stop();
                return FakeTracker.ok(1800, PEER);
            }
            throw new TrackerException("torrent not registered");
        }));
        a.call();
        TrackerStatus failed = waiting.get(0);
        assertThat(failed.state()).isEqualTo(State.ERROR);
        assertThat(failed.error()).contains("torrent not registered");
        assertThat(failed.nextAnnounce()).hasValueSatisfying(next ->
                assertThat(next).isBetween(FakeTime.T0.plusMillis(7500), FakeTime.T0.plusSeconds(15))); // first backoff
        assertThat(seconds().get(1)).isEqualTo(failed.nextAnnounce().orElseThrow().getEpochSecond() - FakeTime.T0.getEpochSecond());
        assertThat(a.status().state()).isEqualTo(State.IDLE);
        assertThat(a.status().error()).isEmpty();
    }

    @Test
    void noStoppedWhenNoTrackerHeardStarted() {
        Announcer a = announcer(tracker("http://a", (n, r) -> {
            if (n == 3) {
                stop();
            }
            throw new IOException("connection refused");
        }));
        a.call();
        assertThat(events()).containsExactly(Event.STARTED, Event.STARTED, Event.STARTED);
    }

    @Test
    void tierIsShuffledOnceWithTheGivenRandom() {
        List<String> urls = IntStream.range(0, 6).mapToObj(i -> "http://t" + i).toList();
        List<Tracker> tier = new ArrayList<>();
        for (String url : urls) {
            tier.add(tracker(url, (n, r) -> {
                if (log.size() == urls.size()) {
                    stop();
                }
                throw new IOException("down");
            }));
        }
        announcer(tier.toArray(Tracker[]::new)).call();
        List<String> expected = new ArrayList<>(urls);
        Collections.shuffle(expected, new Random(1));
        assertThat(expected).isNotEqualTo(urls);
        assertThat(log.stream().map(Call::url).toList()).isEqualTo(expected);
    }

    @Test
    void theTrackerThatAnswersMovesToTheFront() {
        List<String> urls = List.of("http://a", "http://b", "http://c");
        List<String> shuffled = new ArrayList<>(urls);
        Collections.shuffle(shuffled, new Random(1)); // as the announcer will
        String working = shuffled.get(2); // the last one tried: only it answers
        List<Tracker> tier = new ArrayList<>();
        for (String url : urls) {
            tier.add(tracker(url, (n, r) -> {
                if (!url.equals(working)) {
                    throw new IOException(url + " is down");
                }
                if (n == 3) {
                    stop();
                }
                return FakeTracker.ok(900);
            }));
        }
        Announcer a = announcer(tier.toArray(Tracker[]::new));
        a.call();
        assertThat(log).extracting(Call::url).containsExactly(
                shuffled.get(0), shuffled.get(1), working, // the first announce walks the tier
                working, working, working);                 // then the one that answered comes first
        assertThat(log).extracting(Call::event).containsExactly(
                Event.STARTED, Event.STARTED, Event.STARTED, Event.NONE, Event.NONE, Event.STOPPED);
        assertThat(a.status().url()).isEqualTo(working);
    }

    @Test
    void stopWakesAWaitingAnnouncerWhichSaysStopped() throws Exception {
        Announcer a = announcer(TimeSource.SYSTEM, new FakeTracker("http://a", null, log, (n, r) -> FakeTracker.ok(1800)));
        try (Scope scope = new Scope("announcer-test")) {
            Task<Void> task = scope.fork("announce", a);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.status().state() == State.WORKING);
            a.stop();
            task.get(Duration.ofSeconds(5));
        }
        assertThat(events()).containsExactly(Event.STARTED, Event.STOPPED);
        assertThat(a.status().state()).isEqualTo(State.IDLE);
    }

    @Test
    void cancellingTheScopeStillSaysStoppedAndEndsNormally() throws Exception {
        Announcer a = announcer(TimeSource.SYSTEM, new FakeTracker("http://a", null, log, (n, r) -> {
            if (r.event() == Event.STOPPED) {
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt cleared for the farewell").isFalse();
                assertThat(r.numWant()).as("a leaving peer wants no peers").isZero();
            }
            return FakeTracker.ok(1800);
        }));
        Scope scope = new Scope("announcer-test");
        Task<Void> task = scope.fork("announce", a);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.status().state() == State.WORKING);
        scope.close();
        assertThat(task.get(Duration.ofSeconds(1))).isNull();
        assertThat(scope.failure()).isEmpty();
        assertThat(events()).containsExactly(Event.STARTED, Event.STOPPED);
        assertThat(log.get(1).budget()).isEqualTo(CONFIG.stopBudget());
    }

    @Test
    void cancellingDuringAHungAnnounceEndsPromptlyWithoutStopped() throws Exception {
        Announcer a = announcer(TimeSource.SYSTEM, new FakeTracker("http://dead", null, log, (n, r) -> hang()));
        Scope scope = new Scope("announcer-test");
        Task<Void> task = scope.fork("announce", a);
        await().atMost(Duration.ofSeconds(5)).until(() -> log.size() == 1);
        long start = System.nanoTime();
        scope.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(task.isRunning()).isFalse();
        assertThat(events()).containsExactly(Event.STARTED); // no tracker heard "started": nothing to stop
    }

    @Test
    void aDeadTierDoesNotHoldUpAWorkingOne() throws Exception {
        List<Call> deadLog = new CopyOnWriteArrayList<>();
        Announcer dead = new Announcer(List.of(new FakeTracker("http://dead", null, deadLog, (n, r) -> hang())),
                () -> HttpTrackerTest.request(Event.NONE), peers -> { }, CONFIG, new Random(2));
        Announcer alive = announcer(TimeSource.SYSTEM, new FakeTracker("http://alive", null, log, (n, r) -> FakeTracker.ok(1800, PEER)));
        try (Scope scope = new Scope("torrent")) {
            scope.fork("tier 0", dead);
            scope.fork("tier 1", alive);
            await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
            assertThat(dead.status().state()).isEqualTo(State.UPDATING);
            assertThat(received.get(0)).containsExactly(PEER);
        }
        assertThat(events()).containsExactly(Event.STARTED, Event.STOPPED);
    }

    /** A tracker that never answers, until interrupted: then it fails as a socket would, flag still set. */
    private static AnnounceResponse hang() throws IOException {
        try {
            Thread.sleep(Duration.ofMinutes(5));
            throw new AssertionError("not interrupted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("closed by interrupt");
        }
    }
}
