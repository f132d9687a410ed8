package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
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

/** The verifier thread: verdicts for queued pieces, and a queue that outlives a run. */
class PieceVerifierTest {

    private static final int PIECE = 32 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private byte[] content;
    private Storage storage;
    private PieceAssembly hashing;
    private final Map<Integer, Object> verdicts = new ConcurrentHashMap<>(); // piece -> Boolean or IOException
    private PieceVerifier verifier;
    private Thread run;

    @BeforeEach
    void torrent() throws IOException {
        content = new byte[4 * PIECE];
        new Random(11).nextBytes(content);
        Path source = Files.write(Files.createDirectories(dir.resolve("source")).resolve("data.bin"), content);
        Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(source,
                TorrentCreator.Options.defaults().withPieceLength(PIECE), (done, total) -> { }));
        storage = new Storage(metainfo, Files.createDirectories(dir.resolve("download")));
        hashing = new PieceAssembly(storage, PieceGeometry.of(metainfo), new BlockArrays());
        verifier = new PieceVerifier(hashing, new PieceVerifier.Verdicts() {
            @Override
            public void checked(int piece, boolean good) {
                verdicts.put(piece, good);
            }

            @Override
            public void failed(int piece, IOException e) {
                verdicts.put(piece, e);
            }
        });
    }

    @AfterEach
    void close() throws InterruptedException {
        stopRun();
        storage.close();
    }

    @Test
    void queuedPiecesGetTheirVerdicts() throws Exception {
        arrive(0, false);
        arrive(1, true);
        startRun();
        verifier.submit(0);
        verifier.submit(1);
        await().atMost(WAIT).until(() -> verdicts.size() == 2);
        assertThat(verdicts).containsEntry(0, true).containsEntry(1, false);
        assertThat(verifier.pending()).isZero();
        assertThat(hashing.heldBytes()).isZero();
    }

    @Test
    void piecesQueuedBetweenRunsAreCheckedByTheNextRun() throws Exception {
        startRun();
        stopRun(); // a paused torrent: its verifier task ended
        arrive(2, false);
        arrive(3, false);
        verifier.submit(2);
        verifier.submit(3);
        Thread.sleep(100);
        assertThat(verdicts).isEmpty();
        assertThat(verifier.pending()).isEqualTo(2);
        startRun();
        await().atMost(WAIT).until(() -> verdicts.size() == 2);
        assertThat(verdicts).containsEntry(2, true).containsEntry(3, true);
    }

    @Test
    void aPieceThatCannotBeWrittenIsReportedAndTheRunGoesOn() throws Exception {
        Path file = Files.createDirectories(dir.resolve("download").resolve("data.bin")); // in the way
        arrive(0, false);
        startRun();
        verifier.submit(0);
        await().atMost(WAIT).until(() -> verdicts.containsKey(0));
        assertThat(verdicts.get(0)).isInstanceOf(IOException.class);
        Files.delete(file);
        arrive(1, false);
        verifier.submit(1);
        await().atMost(WAIT).until(() -> verdicts.containsKey(1));
        assertThat(verdicts).containsEntry(1, true);
        assertThat(storage.verifyPiece(1)).isTrue();
    }

    /** Piece {@code piece}'s blocks arrive and are held, the second one altered if {@code corrupt}. */
    private void arrive(int piece, boolean corrupt) throws IOException {
        for (int begin = 0; begin < PIECE; begin += PieceGeometry.BLOCK_SIZE) {
            byte[] data = Arrays.copyOfRange(content, piece * PIECE + begin, piece * PIECE + begin + PieceGeometry.BLOCK_SIZE);
            if (corrupt && begin > 0) {
                data[7] ^= 1;
            }
            hashing.hold(new Block(piece, begin, data.length), data);
        }
    }

    private void startRun() {
        run = Thread.ofVirtual().start(() -> {
            try {
                verifier.run();
            } catch (InterruptedException e) {
                // the run is over
            }
        });
    }

    private void stopRun() throws InterruptedException {
        if (run != null) {
            run.interrupt();
            assertThat(run.join(WAIT)).as("the verifier ends when interrupted").isTrue();
            run = null;
        }
    }
}
