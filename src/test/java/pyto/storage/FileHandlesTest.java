package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHandlesTest {

    @TempDir
    Path dir;

    private SafeFiles files;

    @BeforeEach
    void threeFilesOnDisk() throws IOException {
        TestTorrent t = TestTorrent.multiFile("t", 4).file("a", "aaaa").file("b", "bbbb").file("c", "cccc").build();
        files = new SafeFiles(t.metainfo, dir);
        Files.createDirectories(dir.resolve("t"));
        for (String name : new String[] {"a", "b", "c"}) {
            Files.writeString(dir.resolve("t").resolve(name), name.repeat(4));
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position());
    }

    private static String readWith(FileHandles handles, int file) throws IOException {
        AtomicReference<String> result = new AtomicReference<>();
        handles.withChannel(file, false, channel -> result.set(read(channel)));
        return result.get();
    }

    @Test
    void aChannelClosedBehindTheCachesBackIsReopenedAndTheOperationRetried() throws IOException {
        try (FileHandles handles = new FileHandles(files, 4)) {
            AtomicReference<FileChannel> cached = new AtomicReference<>();
            handles.withChannel(0, false, cached::set);
            cached.get().close(); // what another thread's interrupt does

            AtomicInteger attempts = new AtomicInteger();
            AtomicReference<String> read = new AtomicReference<>();
            handles.withChannel(0, false, channel -> {
                attempts.incrementAndGet();
                read.set(read(channel));
            });

            assertThat(attempts).hasValue(2);
            assertThat(read).hasValue("aaaa");
        }
    }

    @Test
    void interruptingOneReaderMidUseClosesTheChannelButAnotherReaderCarriesOn() throws Exception {
        try (FileHandles handles = new FileHandles(files, 4)) {
            readWith(handles, 0); // both threads will share this cached channel
            CountDownLatch bothInside = new CountDownLatch(2);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger bAttempts = new AtomicInteger();
            AtomicReference<Throwable> aFailure = new AtomicReference<>();
            AtomicReference<Throwable> bFailure = new AtomicReference<>();

            Thread a = Thread.ofVirtual().start(() -> {
                try {
                    handles.withChannel(0, false, channel -> {
                        bothInside.countDown();
                        while (true) {
                            read(channel);
                        }
                    });
                } catch (Throwable e) {
                    aFailure.set(e);
                }
            });
            Thread b = Thread.ofVirtual().start(() -> {
                try {
                    handles.withChannel(0, false, channel -> {
                        if (bAttempts.incrementAndGet() == 1) {
                            bothInside.countDown();
                        }
                        while (!stop.get()) {
                            assertThat(read(channel)).isEqualTo("aaaa");
                        }
                    });
                } catch (Throwable e) {
                    bFailure.set(e);
                }
            });
            assertThat(bothInside.await(10, TimeUnit.SECONDS)).isTrue();

            a.interrupt();
            a.join(10_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bAttempts.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            stop.set(true);
            b.join(10_000);

            assertThat(a.isAlive()).isFalse();
            assertThat(b.isAlive()).isFalse();
            assertThat(aFailure.get()).isInstanceOf(ClosedByInterruptException.class);
            assertThat(bFailure.get()).isNull();
            assertThat(bAttempts).hasValue(2);
            assertThat(readWith(handles, 0)).isEqualTo("aaaa");
        }
    }

    @Test
    void theInterruptedThreadGetsTheExceptionAndTheNextUserAFreshChannel() throws Exception {
        try (FileHandles handles = new FileHandles(files, 4)) {
            readWith(handles, 1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> {
                Thread.currentThread().interrupt();
                try {
                    readWith(handles, 1);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.join(10_000);

            assertThat(failure.get()).isInstanceOf(ClosedByInterruptException.class);
            assertThat(readWith(handles, 1)).isEqualTo("bbbb");
        }
    }

    @Test
    void theLeastRecentlyUsedIsClosedFirstButNeverWhileInUse() throws Exception {
        try (FileHandles handles = new FileHandles(files, 2)) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch othersOpened = new CountDownLatch(1);
            AtomicInteger attempts = new AtomicInteger();
            AtomicReference<String> slowRead = new AtomicReference<>();
            Thread slow = Thread.ofVirtual().start(() -> {
                try {
                    handles.withChannel(0, false, channel -> {
                        attempts.incrementAndGet();
                        inside.countDown();
                        awaitUninterruptibly(othersOpened);
                        slowRead.set(read(channel)); // evicted meanwhile, yet still open
                    });
                } catch (IOException e) {
                    slowRead.set(e.toString());
                }
            });
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(readWith(handles, 1)).isEqualTo("bbbb");
            assertThat(readWith(handles, 2)).isEqualTo("cccc"); // evicts file 0's handle
            assertThat(handles.openCount()).isEqualTo(2);
            othersOpened.countDown();
            slow.join(10_000);

            assertThat(slowRead).hasValue("aaaa");
            assertThat(attempts).hasValue(1);
            assertThat(readWith(handles, 0)).isEqualTo("aaaa");
            assertThat(handles.openCount()).isEqualTo(2);
        }
    }

    @Test
    void aReadOnlyHandleIsReopenedForWriting() throws IOException {
        try (FileHandles handles = new FileHandles(files, 4)) {
            assertThat(readWith(handles, 2)).isEqualTo("cccc");
            handles.withChannel(2, true, channel -> channel.write(ByteBuffer.wrap("CC".getBytes()), 1));
            assertThat(readWith(handles, 2)).isEqualTo("cCCc");
            assertThat(handles.openCount()).isEqualTo(1);
        }
    }

    @Test
    void afterCloseNothingOpens() throws IOException {
        FileHandles handles = new FileHandles(files, 4);
        readWith(handles, 0);
        handles.close();

        assertThat(handles.openCount()).isZero();
        assertThatThrownBy(() -> readWith(handles, 0)).hasMessageContaining("closed");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
