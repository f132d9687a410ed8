package pyto.piece;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Several peer threads share one picker, as on a real download: they pick, receive, write,
 * get choked and fail writes now and then, until the torrent is complete. Whatever the
 * interleaving, every block must be written exactly once.
 */
class PiecePickerThreadsTest {

    private static final int PEERS = 6;
    private static final int PIPELINE = 8;
    /** 40 pieces of 4 blocks, the last piece 1000 bytes short, so its last block is too. */
    private static final PieceGeometry GEOMETRY = new PieceGeometry(40L * 64 * 1024 - 1000, 64 * 1024);

    private final PiecePicker picker = new PiecePicker(GEOMETRY, new Random(7));
    private final AtomicIntegerArray writes = new AtomicIntegerArray(GEOMETRY.pieceCount() * 4);

    @Test
    void everyBlockIsWrittenExactlyOnce() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Future<?>> peers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(PEERS)) {
            for (int peer = 0; peer < PEERS; peer++) {
                Bitfield has = peer == 0 ? everyOtherPiece() : Bitfield.full(GEOMETRY.pieceCount());
                Random random = new Random(peer);
                peers.add(threads.submit(() -> download(has, random, deadline)));
            }
            for (Future<?> peer : peers) {
                peer.get(40, TimeUnit.SECONDS);
            }
        }

        assertThat(picker.isComplete()).isTrue();
        for (int i = 0; i < writes.length(); i++) {
            int piece = i / 4;
            int block = i % 4;
            int expected = block < GEOMETRY.blockCount(piece) ? 1 : 0;
            assertThat(writes.get(i)).as("writes of block %d of piece %d", block, piece).isEqualTo(expected);
        }
    }

    /** One peer connection's life, compressed: what its reader thread would report. */
    private void download(Bitfield has, Random random, long deadline) {
        picker.onBitfield(has);
        Set<Block> outstanding = new LinkedHashSet<>();
        while (!picker.isComplete()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not complete in time; left: " + (picker.have().pieceCount() - picker.have().cardinality()));
            }
            outstanding.addAll(picker.pick(has, PIPELINE - outstanding.size(), outstanding));
            if (random.nextInt(20) == 0) {   // choked: every request is void
                picker.onRequestsCancelled(outstanding);
                outstanding.clear();
                continue;
            }
            for (Iterator<Block> it = outstanding.iterator(); it.hasNext(); ) {
                Block block = it.next();
                if (random.nextBoolean()) {
                    it.remove();
                    receive(block, random);
                }
            }
            Thread.yield();
        }
        picker.onPeerGone(has);
    }

    private void receive(Block block, Random random) {
        if (!picker.claim(block)) {
            return;   // a duplicate: dropped
        }
        if (random.nextInt(50) == 0) {
            picker.onWriteFailed(block);
            return;
        }
        writes.incrementAndGet(block.piece() * 4 + block.index());
        Thread.yield();   // the disk write takes a while: duplicates arrive meanwhile
        if (picker.onBlockStored(block)) {
            picker.onPieceVerified(block.piece());
        }
    }

    private static Bitfield everyOtherPiece() {
        Bitfield has = new Bitfield(GEOMETRY.pieceCount());
        for (int piece = 0; piece < GEOMETRY.pieceCount(); piece += 2) {
            has.set(piece);
        }
        return has;
    }
}
