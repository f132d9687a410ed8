package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.piece.Bitfield;
import pyto.storage.ResumeData;

/**
 * The saved state of the daemon's torrents: what is written reads back the same; a write
 * replaces a file whole or not at all, and leaves nothing behind; a file that is truncated,
 * corrupt or of another torrent costs one log line and is skipped, the others load.
 */
class StateStoreTest {

    @TempDir
    Path dir;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(StateStore.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    private Metainfo torrent(String name) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data").resolve(name));
        Files.writeString(data.resolve("a.txt"), "hello, world, " + name);
        Files.writeString(data.resolve("b.txt"), "and more");
        return MetainfoParser.parse(TorrentCreator.create(data, TorrentCreator.Options.defaults().withPieceLength(16 * 1024),
                (d, t) -> { }));
    }

    private static TorrentRecord record(Metainfo m) {
        return new TorrentRecord(m.infoHash(), MagnetLink.of(m).uri() + "&x.pe=127.0.0.1:6881", Path.of("/downloads/x"),
                true, new TorrentRecord.Limits(300, true, 20, false), 1.5, TorrentRecord.RATIO_OWN, 1_700_000_000,
                1_700_000_100, 12345, 67890, 5, 7, false);
    }

    @Test
    void whatIsSavedReadsBackTheSame() throws Exception {
        Metainfo m = torrent("one");
        StateStore store = new StateStore(dir.resolve("state"));
        ResumeData resume = new ResumeData(Bitfield.parse("*"), List.of(new ResumeData.FileStamp(22, 1_700_000_000_123_456_789L),
                ResumeData.FileStamp.MISSING));
        store.saveMetainfo(m);
        store.save(() -> Optional.of(new StateStore.Saving(record(m), Optional.of(resume))));

        List<StateStore.Saved> all = store.loadAll();

        assertThat(all).hasSize(1);
        assertThat(all.getFirst().record()).isEqualTo(record(m));
        assertThat(all.getFirst().metainfo().orElseThrow().infoHash()).isEqualTo(m.infoHash());
        assertThat(all.getFirst().resumeData()).contains(resume);
        assertThat(logged).isEmpty();
    }

    @Test
    void aMagnetWithoutMetadataIsSavedAsItsLinkAlone() throws Exception {
        Metainfo m = torrent("one");
        StateStore store = new StateStore(dir.resolve("state"));
        store.save(() -> Optional.of(new StateStore.Saving(record(m), Optional.empty())));

        StateStore.Saved saved = store.loadAll().getFirst();

        assertThat(saved.metainfo()).isEmpty();
        assertThat(MagnetLink.parse(saved.record().magnetLink()).peers()).hasSize(1);
    }

    @Test
    void writesReplaceTheFileWholeAndLeaveNothingBehind() throws Exception {
        Path file = Files.createDirectories(dir.resolve("s")).resolve("x.json");
        StateStore.writeAtomically(file, "first".getBytes());
        StateStore.writeAtomically(file, "second, longer".getBytes());

        assertThat(Files.readString(file)).isEqualTo("second, longer");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aWriteCutShortByACrashLeavesTheOldStateWhichStillLoads() throws Exception {
        Metainfo m = torrent("one");
        StateStore store = new StateStore(dir.resolve("state"));
        store.saveMetainfo(m);
        store.save(() -> Optional.of(new StateStore.Saving(record(m), Optional.empty())));
        // A crash between writing the temporary file and renaming it: half a new state beside the old.
        Path torrents = dir.resolve("state/torrents");
        Files.writeString(torrents.resolve("." + m.infoHash().hex() + ".json-123.tmp"), "{\"version\":1,\"infoH");

        StateStore again = new StateStore(dir.resolve("state"));
        assertThat(again.loadAll()).extracting(StateStore.Saved::record).containsExactly(record(m));
        again.removeLeftovers();
        try (Stream<Path> files = Files.list(torrents)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    m.infoHash().hex() + ".json", m.infoHash().hex() + ".torrent");
        }
    }

    @Test
    void aCorruptOrTruncatedFileIsSkippedWithOneLineAndTheOthersLoad() throws Exception {
        StateStore store = new StateStore(dir.resolve("state"));
        Path torrents = dir.resolve("state/torrents");
        Metainfo good = torrent("good");
        store.saveMetainfo(good);
        store.save(() -> Optional.of(new StateStore.Saving(record(good), Optional.empty())));
        String valid = Files.readString(torrents.resolve(good.infoHash().hex() + ".json"));
        List<String> broken = List.of(
                valid.substring(0, valid.length() / 2),                  // truncated
                "\u0000\u0001garbage",                                    // not JSON
                valid.replace("\"paused\":true", "\"paused\":\"yes\""),  // a wrong type
                valid.replace("\"version\":1", "\"version\":99"),        // another version
                "[]");
        for (int i = 0; i < broken.size(); i++) {
            InfoHash other = InfoHash.fromHex(String.format("%040x", i + 1));
            Files.writeString(torrents.resolve(other.hex() + ".json"), broken.get(i));
        }
        InfoHash misnamed = InfoHash.fromHex("f".repeat(40));                  // says it is another torrent
        Files.writeString(torrents.resolve(misnamed.hex() + ".json"), valid);
        Metainfo lying = torrent("lying");                                   // its .torrent is another's
        Files.writeString(torrents.resolve(lying.infoHash().hex() + ".json"),
                valid.replace(good.infoHash().hex(), lying.infoHash().hex()));
        Files.write(torrents.resolve(lying.infoHash().hex() + ".torrent"), good.toTorrentFile());
        Files.writeString(torrents.resolve("0".repeat(39) + "9.torrent"), "an orphan .torrent: ignored");

        List<StateStore.Saved> loaded = store.loadAll();

        assertThat(loaded).extracting(s -> s.record().infoHash()).containsExactly(good.infoHash());
        assertThat(logged).hasSize(broken.size() + 2)
                .allSatisfy(r -> assertThat(r.getMessage()).contains("cannot be read, skipped"));
    }

    @Test
    void resumeDataOfAnotherShapeMakesTheFileUnreadable() throws Exception {
        Metainfo m = torrent("one");
        StateStore store = new StateStore(dir.resolve("state"));
        store.saveMetainfo(m);
        ResumeData wrong = new ResumeData(Bitfield.parse("**"), List.of(ResumeData.FileStamp.MISSING, ResumeData.FileStamp.MISSING));
        store.save(() -> Optional.of(new StateStore.Saving(record(m), Optional.of(wrong))));

        assertThat(store.loadAll()).isEmpty();
        assertThat(logged).hasSize(1);
    }

    @Test
    void deletingForgetsBothFiles() throws Exception {
        Metainfo m = torrent("one");
        StateStore store = new StateStore(dir.resolve("state"));
        store.saveMetainfo(m);
        store.save(() -> Optional.of(new StateStore.Saving(record(m), Optional.empty())));

        store.delete(m.infoHash());

        assertThat(store.loadAll()).isEmpty();
        assertThat(dir.resolve("state/torrents")).isEmptyDirectory();
    }
}
