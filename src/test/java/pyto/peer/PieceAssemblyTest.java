package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.storage.Storage;

/**
 * Pieces of four 16 KiB blocks, held in memory until they are checked: what reaches the disk,
 * and where the check takes its bytes from (a block altered on disk after it was written
 * tells whether the disk was read).
 */
class PieceAssemblyTest {

    private static final int BLOCK = PieceGeometry.BLOCK_SIZE;
    private static final int PIECE = 4 * BLOCK;

    @TempDir
    Path dir;

    private byte[] content;
    private Metainfo metainfo;
    private Storage storage;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(PIECE);
    private final BlockArrays arrays = new BlockArrays();

    @BeforeEach
    void torrent() throws IOException {
        content = new byte[3 * PIECE];
        new Random(7).nextBytes(content);
        Path source = Files.write(Files.createDirectories(dir.resolve("source")).resolve("data.bin"), content);
        metainfo = MetainfoParser.parse(TorrentCreator.create(source,
                TorrentCreator.Options.defaults().withPieceLength(PIECE), (done, total) -> { }));
        storage = new Storage(metainfo, Files.createDirectories(dir.resolve("download")));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aGoodPieceIsCheckedFromMemoryAndOnlyThenWritten() throws Exception {
        PieceAssembly hashing = hashing(PieceAssembly.MAX_HELD_BYTES);
        arrive(hashing, 1, 0, 1, 2, 3);
        assertThat(hashing.heldBytes()).isEqualTo(PIECE);
        assertThat(storage.verifyPiece(1)).as("nothing on disk yet").isFalse();
        assertThat(hashing.check(1, scratch)).isTrue();
        assertThat(storage.verifyPiece(1)).as("written once checked").isTrue();
        assertThat(hashing.heldBytes()).isZero();
    }

    @Test
    void blocksInAnyOrderAreHashedInOrder() throws Exception {
        PieceAssembly hashing = hashing(PieceAssembly.MAX_HELD_BYTES);
        arrive(hashing, 0, 2, 1, 3, 0);
        assertCheckedAndWritten(hashing, 0);
    }

    @Test
    void aCorruptPieceNeverReachesTheDisk() throws Exception {
        PieceAssembly hashing = hashing(PieceAssembly.MAX_HELD_BYTES);
        byte[] bad = block(2, 1);
        bad[100] ^= 1;
        assertThat(hashing.hold(new Block(2, BLOCK, BLOCK), bad)).isTrue();
        arrive(hashing, 2, 0, 2, 3);
        assertThat(hashing.check(2, scratch)).isFalse();
        assertThat(hashing.heldBytes()).isZero();
        assertThat(Files.exists(dir.resolve("download/data.bin"))).as("not a byte written").isFalse();
        // Fetched again: a fresh check.
        arrive(hashing, 2, 0, 1, 2, 3);
        assertCheckedAndWritten(hashing, 2);
    }

    @Test
    void pastTheLimitTheCallerWritesBlocksAndTheCheckReadsThemBack() throws Exception {
        PieceAssembly hashing = hashing(2 * BLOCK); // room for two blocks
        arrive(hashing, 0, 1, 0, 2, 3);          // 1 and 0 held, 2 and 3 written
        assertThat(hashing.heldBytes()).isEqualTo(2 * BLOCK);
        corruptOnDisk(0, 1); // held: the disk's copy is not read, and the good one is written
        assertCheckedAndWritten(hashing, 0);

        arrive(hashing, 1, 0, 1, 2, 3);
        corruptOnDisk(1, 2); // not held: read back from disk, where the corruption is seen
        assertThat(hashing.check(1, scratch)).isFalse();
    }

    @Test
    void heldBlocksAreWrittenInRunsAsLargeAsTheScratchAllows() throws Exception {
        PieceAssembly hashing = hashing(3 * BLOCK);
        arrive(hashing, 0, 0, 1, 2, 3); // 3 is written at once; 0-2 are one run
        assertThat(hashing.check(0, ByteBuffer.allocate(BLOCK))).isTrue(); // one block per write
        assertThat(storage.verifyPiece(0)).isTrue();
    }

    @Test
    void aPieceWithNoBlocksHeldIsCheckedFromDisk() throws Exception {
        PieceAssembly hashing = hashing(PieceAssembly.MAX_HELD_BYTES);
        for (int b = 0; b < 4; b++) {
            storage.writeBlock(0, b * BLOCK, block(0, b), 0, BLOCK);
        }
        assertThat(hashing.check(0, scratch)).isTrue();
    }

    @Test
    void aFailedWriteDropsTheBlocksButAnInterruptedOneKeepsThem() throws Exception {
        PieceAssembly hashing = hashing(PieceAssembly.MAX_HELD_BYTES);
        arrive(hashing, 1, 0, 1, 2, 3);
        Path file = Files.createDirectories(dir.resolve("download/data.bin")); // a directory in the way
        Thread.currentThread().interrupt(); // the run is ending
        try {
            assertThatThrownBy(() -> hashing.check(1, scratch)).isInstanceOf(IOException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(hashing.heldBytes()).as("kept for the next run's check").isEqualTo(PIECE);

        assertThatThrownBy(() -> hashing.check(1, scratch)).isInstanceOf(IOException.class);
        assertThat(hashing.heldBytes()).as("a disk error: the piece will be fetched again").isZero();
        Files.delete(file);
        arrive(hashing, 1, 0, 1, 2, 3);
        assertThat(hashing.heldBytes()).isEqualTo(PIECE);
        assertCheckedAndWritten(hashing, 1);
    }

    @Test
    void whenFinishedPiecesFillTheRoomANewBlockWaitsForTheirCheck() throws Exception {
        PieceAssembly hashing = hashing(PIECE); // room for one piece
        arrive(hashing, 0, 0, 1, 2, 3);
        hashing.finished(0);
        Thread peer = Thread.ofVirtual().start(() -> {
            try {
                arrive(hashing, 1, 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(peer.isAlive()).as("waiting for room").isTrue();
        assertCheckedAndWritten(hashing, 0);
        assertThat(peer.join(Duration.ofSeconds(5))).isTrue();
        assertThat(hashing.heldBytes()).as("held, not written").isEqualTo(BLOCK);
    }

    @Test
    void whenUnfinishedPiecesFillTheRoomANewBlockIsWrittenAtOnce() throws Exception {
        PieceAssembly hashing = hashing(PIECE);
        arrive(hashing, 0, 0, 1, 2);
        arrive(hashing, 1, 0);
        arrive(hashing, 1, 1); // full, and no finished piece to make room: written, no wait
        assertThat(hashing.heldBytes()).isEqualTo(PIECE);
        arrive(hashing, 0, 3);
        arrive(hashing, 1, 2, 3);
        hashing.finished(0);
        hashing.finished(1);
        assertCheckedAndWritten(hashing, 0);
        assertCheckedAndWritten(hashing, 1); // its blocks 1 to 3 read back from disk
    }

    @Test
    void theArraysOfACheckedPieceAreReusedButNotThoseOfOneStillHeld() throws Exception {
        PieceAssembly hashing = hashing(PieceAssembly.MAX_HELD_BYTES);
        byte[] first = block(0, 0);
        assertThat(hashing.hold(new Block(0, 0, BLOCK), first)).isTrue();
        arrive(hashing, 0, 1, 2, 3);
        arrive(hashing, 1, 0);
        assertThat(arrays.kept()).isZero();
        assertThat(hashing.check(0, scratch)).isTrue();
        assertThat(arrays.kept()).isEqualTo(4);
        List<byte[]> reused = List.of(arrays.apply(BLOCK), arrays.apply(BLOCK), arrays.apply(BLOCK), arrays.apply(BLOCK));
        assertThat(reused).anyMatch(a -> a == first);
        byte[] fresh = arrays.apply(BLOCK);
        assertThat(reused).as("none left: a new one").noneMatch(a -> a == fresh);
        assertThat(arrays.apply(100)).hasSize(100);
        assertThat(storage.verifyPiece(0)).as("reusing the arrays did not touch what was written").isTrue();
    }

    private PieceAssembly hashing(long maxHeldBytes) {
        return new PieceAssembly(storage, PieceGeometry.of(metainfo), arrays, maxHeldBytes);
    }

    private void assertCheckedAndWritten(PieceAssembly hashing, int piece) throws IOException {
        assertThat(hashing.check(piece, scratch)).as("piece %d checks", piece).isTrue();
        assertThat(storage.verifyPiece(piece)).as("piece %d is on disk", piece).isTrue();
    }

    /** The given blocks of {@code piece} arrive in this order: held, or written when there is no room. */
    private void arrive(PieceAssembly hashing, int piece, int... blocks) throws IOException {
        for (int b : blocks) {
            byte[] data = block(piece, b);
            if (!hashing.hold(new Block(piece, b * BLOCK, BLOCK), data)) {
                storage.writeBlock(piece, b * BLOCK, data, 0, BLOCK);
            }
        }
    }

    private byte[] block(int piece, int block) {
        int from = piece * PIECE + block * BLOCK;
        return Arrays.copyOfRange(content, from, from + BLOCK);
    }

    private void corruptOnDisk(int piece, int block) throws IOException {
        byte[] bad = block(piece, block);
        bad[0] ^= 1;
        storage.writeBlock(piece, block * BLOCK, bad, 0, BLOCK);
    }
}
