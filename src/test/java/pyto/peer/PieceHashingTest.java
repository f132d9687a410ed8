package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.piece.Block;
import pyto.storage.Storage;

/**
 * Pieces of four 16 KiB blocks arriving in various orders. The tests tell the two ways to a
 * verdict apart, hashed from memory or read back from disk, by altering a block on disk after
 * it was written and reported.
 */
class PieceHashingTest {

    private static final int BLOCK = 16 * 1024;
    private static final int PIECE = 4 * BLOCK;

    @TempDir
    Path dir;

    private byte[] content;
    private Metainfo metainfo;
    private Storage storage;

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
    void blocksAreKeptUntilTheirPieceIsCheckedFromMemory() throws IOException {
        PieceHashing hashing = new PieceHashing(storage);
        arrive(hashing, 1, 0, 1, 2, 3);
        assertThat(hashing.keptBytes()).isEqualTo(PIECE);
        corruptOnDisk(1, 0); // the kept blocks have the true bytes: the disk is not read
        assertThat(hashing.verify(1)).isTrue();
        assertThat(hashing.keptBytes()).as("a checked piece lets its blocks go").isZero();
    }

    @Test
    void blocksInAnyOrderAreHashedInOrder() throws IOException {
        PieceHashing hashing = new PieceHashing(storage);
        arrive(hashing, 0, 2, 1, 3, 0);
        corruptOnDisk(0, 3);
        assertThat(hashing.verify(0)).isTrue();
    }

    @Test
    void pastTheLimitBlocksAreReadBackFromDisk() throws IOException {
        PieceHashing hashing = new PieceHashing(storage, 2 * BLOCK); // room for two blocks
        arrive(hashing, 2, 1, 0, 2, 3);
        assertThat(hashing.keptBytes()).isEqualTo(2 * BLOCK);
        corruptOnDisk(2, 1); // kept: not read
        assertThat(hashing.verify(2)).isTrue();
        // Blocks 2 and 3 were not kept: their bytes come from disk, where a corruption is seen.
        arrive(hashing, 2, 0, 1, 2, 3);
        corruptOnDisk(2, 2);
        assertThat(hashing.verify(2)).isFalse();
    }

    @Test
    void aBlockPastAMissingOneIsReadFromDiskToo() throws IOException {
        PieceHashing hashing = new PieceHashing(storage, 3 * BLOCK);
        arrive(hashing, 0, 0, 1);
        storage.writeBlock(0, 2 * BLOCK, block(0, 2), 0, BLOCK); // written, never reported: not kept
        arrive(hashing, 0, 3);
        assertThat(hashing.keptBytes()).isEqualTo(3 * BLOCK);
        corruptOnDisk(0, 3); // the digest stops at the gap: block 3 comes from disk
        assertThat(hashing.verify(0)).isFalse();
        assertThat(hashing.keptBytes()).isZero();
    }

    @Test
    void aCorruptBlockFailsThePieceWhicheverWayItCame() throws IOException {
        PieceHashing hashing = new PieceHashing(storage);
        byte[] bad = block(1, 2);
        bad[100] ^= 1;
        storage.writeBlock(1, 2 * BLOCK, bad, 0, BLOCK);
        hashing.written(new Block(1, 2 * BLOCK, BLOCK), bad);
        arrive(hashing, 1, 3, 0, 1);
        assertThat(hashing.verify(1)).isFalse();
        // Fetched again, in order this time: a fresh digest.
        arrive(hashing, 1, 0, 1, 2, 3);
        assertThat(hashing.verify(1)).isTrue();
    }

    @Test
    void aPieceWithNoBlocksSeenIsCheckedFromDisk() throws IOException {
        PieceHashing hashing = new PieceHashing(storage);
        for (int b = 0; b < 4; b++) {
            storage.writeBlock(0, b * BLOCK, block(0, b), 0, BLOCK);
        }
        assertThat(hashing.verify(0)).isTrue();
    }

    /** Writes the given blocks of {@code piece} to disk, in this order, and reports each. */
    private void arrive(PieceHashing hashing, int piece, int... blocks) throws IOException {
        for (int b : blocks) {
            byte[] data = block(piece, b);
            storage.writeBlock(piece, b * BLOCK, data, 0, BLOCK);
            hashing.written(new Block(piece, b * BLOCK, BLOCK), data);
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
