package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many peer threads on one {@link Storage}: concurrent writes, and peers torn down by interrupt. */
class StorageConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void manyThreadsWritingDifferentBlocksLeaveEveryPieceVerified() throws Exception {
        TestTorrent.Builder builder = TestTorrent.multiFile("t", 8 * 1024);
        for (int i = 0; i < 12; i++) {
            builder.file("dir" + i % 3 + "/f" + i, TestTorrent.randomBytes(3000 + i * 2500, i));
        }
        TestTorrent t = builder.build();
        record Block(int piece, int begin, int length) {}
        List<Block> blocks = new ArrayList<>();
        for (int p = 0; p < t.metainfo.pieceCount(); p++) {
            int size = (int) t.metainfo.pieceSize(p);
            for (int begin = 0; begin < size; begin += 1024) {
                blocks.add(new Block(p, begin, Math.min(1024, size - begin)));
            }
        }
        Collections.shuffle(blocks, new Random(7));
        ConcurrentLinkedQueue<Block> queue = new ConcurrentLinkedQueue<>(blocks);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        // Three open files at most for twelve files: handles are evicted while others use them.
        try (Storage storage = new Storage(t.metainfo, dir, 3)) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    Block b;
                    while ((b = queue.poll()) != null) {
                        try {
                            storage.writeBlock(b.piece(), b.begin(), t.piece(b.piece()), b.begin(), b.length());
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join(30_000);
                assertThat(writer.isAlive()).isFalse();
            }
            assertThat(failures).isEmpty();
            for (int p = 0; p < t.metainfo.pieceCount(); p++) {
                assertThat(storage.verifyPiece(p)).as("piece %d", p).isTrue();
            }
        }
    }

    @Test
    void aPeerInterruptedWhileServingDoesNotBreakTheNextPeer() throws Exception {
        TestTorrent t = StorageTest.helloWorld();
        try (Storage storage = new Storage(t.metainfo, dir)) {
            StorageTest.writeAll(storage, t, 5);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread torndown = Thread.ofVirtual().start(() -> {
                Thread.currentThread().interrupt(); // as a Scope cancelling this peer would
                try {
                    storage.readBlock(0, 0, new byte[5], 0, 5);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            torndown.join(10_000);
            assertThat(failure.get()).isInstanceOf(ClosedByInterruptException.class);

            byte[] block = new byte[5];
            storage.readBlock(1, 0, block, 0, 5);
            assertThat(new String(block)).isEqualTo(", wor");
            storage.writeBlock(2, 0, "ld".getBytes(), 0, 2);
            assertThat(storage.verifyPiece(0)).isTrue();
            storage.flush();
        }
    }
}
