package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.piece.Bitfield;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.storage.Storage;
import pyto.wire.PeerId;

/** The way from a block that arrives to a piece that waits for its check. */
class TorrentPiecesTest {

    private static final int BLOCK = PieceGeometry.BLOCK_SIZE;
    private static final int PIECE = 4 * BLOCK;

    @TempDir
    Path dir;

    private byte[] content;
    private Storage storage;
    private PiecePicker picker;
    private TorrentPieces pieces;

    @BeforeEach
    void torrent() throws IOException {
        content = new byte[3 * PIECE];
        new Random(5).nextBytes(content);
        Path source = Files.write(Files.createDirectories(dir.resolve("source")).resolve("data.bin"), content);
        Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(source,
                TorrentCreator.Options.defaults().withPieceLength(PIECE), (done, total) -> { }));
        storage = new Storage(metainfo, Files.createDirectories(dir.resolve("download")));
        picker = new PiecePicker(PieceGeometry.of(metainfo), new Random(1));
        Swarm swarm = new Swarm(metainfo.infoHash(), PeerId.generate(), NO_EVENTS, new Swarm.Settings(
                MessageTrace.NONE, 10, PeerTimeouts.DEFAULTS, 0, Duration.ofMinutes(1), 10, 0, List.of(), List.of()));
        pieces = new TorrentPieces(swarm, picker, storage, PIECE); // room for one piece's blocks
        picker.onBitfield(Bitfield.full(metainfo.pieceCount()));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /**
     * Piece 0 is complete and waits for a check that does not come (no verifier runs), so it
     * fills the room; a block of piece 1 then waits for room, and the run stops under it. The
     * block must be wanted again: left claimed, it would never be asked for, and piece 1
     * would never complete in any later run.
     */
    @Test
    void aBlockWhoseWaitForRoomIsCutShortIsWantedAgain() throws Exception {
        for (Block b : picker.pick(Bitfield.full(3), 4, Set.of())) {
            assertThat(pieces.keep(b, data(b))).isTrue();
            pieces.onStored(b);
        }
        Block waiting = picker.pick(Bitfield.full(3), 1, Set.of()).getFirst();
        assertThat(waiting.piece()).isEqualTo(1);

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread peer = Thread.ofVirtual().start(() -> {
            try {
                pieces.keep(waiting, data(waiting));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Thread.sleep(100); // it waits for room, up to a second
        peer.interrupt();
        peer.join(Duration.ofSeconds(5));

        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(picker.pick(Bitfield.full(3), 100, Set.of())).as("blocks the picker offers now").contains(waiting);
    }

    private byte[] data(Block b) {
        long offset = (long) b.piece() * PIECE + b.begin();
        return Arrays.copyOfRange(content, (int) offset, (int) offset + b.length());
    }

    private static final SwarmEvents NO_EVENTS = new SwarmEvents() {
        @Override
        public void pieceVerified(int piece) {
        }

        @Override
        public void diskFailed(IOException error) {
        }

        @Override
        public void interestChanged(PeerConnection peer) {
        }

        @Override
        public void peerGone(PeerConnection peer) {
        }
    };
}
