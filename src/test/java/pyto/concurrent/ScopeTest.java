package pyto.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void joinWaitsForEveryTaskAndResultsAreKept() throws Exception {
        try (Scope scope = new Scope("test")) {
            Task<Integer> a = scope.fork("a", () -> 1);
            Task<Integer> b = scope.fork("b", () -> {
                Thread.sleep(50);
                return 2;
            });
            scope.join();
            assertThat(a.get() + b.get()).isEqualTo(3);
            assertThat(scope.size()).isZero();
            assertThat(scope.failure()).isEmpty();
        }
    }

    @Test
    void firstFailureCancelsSiblings() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        try (Scope scope = new Scope("test")) {
            scope.fork("sleeper", () -> {
                sleeping.countDown();
                try {
                    Thread.sleep(Duration.ofMinutes(1));
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
                return null;
            });
            sleeping.await();
            scope.fork("failing", () -> {
                throw new IOException("boom");
            });
            assertThat(scope.join(Duration.ofSeconds(5))).isTrue();
            assertThat(scope.isCancelled()).isTrue();
            assertThat(scope.failure()).get().extracting(Throwable::getMessage).isEqualTo("boom");
        }
        assertThat(interrupted).hasValue(1);
    }

    @Test
    void theOwnerIsToldOfTheFirstFailureOnly() throws Exception {
        List<Throwable> told = new CopyOnWriteArrayList<>();
        try (Scope scope = new Scope("test", told::add)) {
            scope.fork("failing", () -> {
                throw new IOException("first");
            });
            assertThat(scope.join(Duration.ofSeconds(5))).isTrue();
            scope.close();
            assertThat(told).extracting(Throwable::getMessage).containsExactly("first");
        }
        try (Scope cancelled = new Scope("test", told::add)) {
            cancelled.fork("sleeper", () -> Thread.sleep(Duration.ofMinutes(1)));
        } // closing cancels the sleeper: a cancel is not a failure
        assertThat(told).hasSize(1);
    }

    @Test
    void taskThatEndsNormallyDisturbsNobody() throws Exception {
        try (Scope scope = new Scope("test")) {
            Task<?> longRunning = scope.fork("long", () -> {
                Thread.sleep(Duration.ofMinutes(1));
                return null;
            });
            scope.fork("short", () -> "done").get();
            assertThat(longRunning.isRunning()).isTrue();
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    @Test
    void closeLeavesNoThreadBehindEvenOneBlockedOnASocket() throws Exception {
        int before = Scope.liveThreads();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            CountDownLatch reading = new CountDownLatch(1);
            Task<Integer> reader;
            try (Scope scope = new Scope("test")) {
                reader = scope.fork("reader", () -> {
                    InputStream in = accepted.getInputStream();
                    reading.countDown();
                    return in.read(); // blocks: the client never writes
                });
                scope.fork("acceptor", () -> server.accept());
                assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(Scope.liveThreads()).isEqualTo(before + 2);
            }
            assertThat(Scope.liveThreads()).isEqualTo(before);
            assertThat(accepted.isClosed()).as("interrupting a virtual thread closes its socket").isTrue();
            assertThatThrownBy(reader::get).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void cancellingOneTaskLeavesTheOthersRunning() throws Exception {
        try (Scope scope = new Scope("test")) {
            Task<?> victim = scope.fork("victim", () -> {
                Thread.sleep(Duration.ofMinutes(1));
                return null;
            });
            Task<?> other = scope.fork("other", () -> {
                Thread.sleep(Duration.ofMinutes(1));
                return null;
            });
            victim.cancel();
            assertThatThrownBy(() -> victim.get(Duration.ofSeconds(5)))
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(other.isRunning()).isTrue();
            assertThat(scope.failure()).as("a cancelled task is not a failure").isEmpty();
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    @Test
    void forkAfterCancelIsRefused() {
        Scope scope = new Scope("test");
        scope.close();
        assertThatThrownBy(() -> scope.fork("late", () -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void periodicTaskRunsUntilClosedAndSurvivesAnException() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Scope scope = new Scope("test")) {
            scope.forkPeriodic("tick", Duration.ofMillis(5), () -> {
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("first run fails");
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    }
}
