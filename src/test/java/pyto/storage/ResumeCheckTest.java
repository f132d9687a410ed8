package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeCheckTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryHasNoPiecesIsCheckedFastAndStaysEmpty() throws Exception {
        // 4 GiB in 256 KiB pieces: reading it all would take far longer than the bound below.
        TestTorrent t = TestTorrent.multiFile("huge", 256 * 1024)
                .sizedFile("a", 3L << 30).sizedFile("b", 1L << 30).build();
        List<Long> reported = new CopyOnWriteArrayList<>();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            long start = System.nanoTime();
            CheckResult result = storage.check((done, total) -> reported.add(done));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(result.pieceCount()).isEqualTo(16384);
            assertThat(result.verifiedCount()).isZero();
        }
        assertThat(dir).isEmptyDirectory();
        assertThat(reported).isSorted().last().isEqualTo(4L << 30);
    }

    @Test
    void aCompleteDirectoryHasEveryPiece() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        t.writeFiles(dir);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            CheckResult result = storage.check(ProgressListener.NONE);

            assertThat(result.complete()).isTrue();
            assertThat(result.verifiedCount()).isEqualTo(22);
        }
    }

    @Test
    void aTruncatedFileAndACorruptByteCostOnlyTheirPieces() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        t.writeFiles(dir);
        try (FileChannel b = FileChannel.open(dir.resolve("t/b"), StandardOpenOption.WRITE)) {
            b.truncate(3 * 1024); // b ends 3 KiB in: the piece at 13 KiB and everything after it in b
        }
        byte[] c = Files.readAllBytes(dir.resolve("t/c"));
        c[2 * 1024 + 700] ^= 0x40; // stream byte 17920 + 2748 = 20668: piece 20
        Files.write(dir.resolve("t/c"), c);

        try (Storage storage = new Storage(t.metainfo, dir)) {
            CheckResult result = storage.check(ProgressListener.NONE);

            // pieces 0-9: a; 10-17: b (17 shared with c); 17-21: c
            assertThat(TestTorrent.pieceMap(result)).isEqualTo("*************.....**.*");
        }
    }

    @Test
    void progressReachesTheTotalOneCallAtATime() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        t.writeFiles(dir);
        List<long[]> calls = new ArrayList<>(); // not thread-safe on purpose: calls are serialized
        try (Storage storage = new Storage(t.metainfo, dir)) {
            storage.check((done, total) -> calls.add(new long[] {done, total}));
        }
        assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(call[1]).isEqualTo(t.metainfo.totalLength()));
        assertThat(calls.stream().mapToLong(call -> call[0]).toArray()).isSorted();
        assertThat(calls.getLast()[0]).isEqualTo(t.metainfo.totalLength());
    }

    @Test
    void anInterruptStopsTheCheckAndLeavesTheStorageUsable() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        t.writeFiles(dir);
        Thread caller = Thread.currentThread();
        AtomicBoolean interrupted = new AtomicBoolean();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            // Interrupt the caller once, then hold this worker until the check cancels it, so
            // the work cannot finish before the caller has seen the interrupt.
            assertThatThrownBy(() -> storage.check((done, total) -> {
                if (interrupted.compareAndSet(false, true)) {
                    caller.interrupt();
                    try {
                        Thread.sleep(Duration.ofSeconds(30));
                    } catch (InterruptedException cancelled) {
                        Thread.currentThread().interrupt();
                    }
                }
            })).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();

            assertThat(storage.check(ProgressListener.NONE).complete()).isTrue();
        }
    }

    @Test
    void aFailingWorkerFailsTheCheck() throws Exception {
        TestTorrent t = TestTorrent.threeFiles();
        t.writeFiles(dir);
        try (Storage storage = new Storage(t.metainfo, dir)) {
            assertThatThrownBy(() -> storage.check((done, total) -> {
                throw new IllegalStateException("listener broke");
            })).hasMessage("listener broke");
        }
    }

    @Test
    void theResultIsACopy() {
        BitSet bits = new BitSet();
        bits.set(1);
        CheckResult result = new CheckResult(bits, 3);
        bits.set(2);
        result.verified().set(0);

        assertThat(TestTorrent.pieceMap(result)).isEqualTo(".*.");
        assertThatThrownBy(() -> new CheckResult(bits, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
