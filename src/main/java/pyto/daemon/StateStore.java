package pyto.daemon;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoException;
import pyto.metainfo.MetainfoParser;
import pyto.piece.Bitfield;
import pyto.storage.ResumeData;

/**
 * The daemon's saved torrents, in {@code STATE/torrents}: for each, {@code HASH.torrent} (its
 * metainfo, once known: at once for a .torrent, after the metadata exchange for a magnet link)
 * and {@code HASH.json} (its {@link TorrentRecord} and {@link ResumeData}). Each file is written
 * whole to a temporary file, forced to disk and renamed over the old one, so that a crash at
 * any moment leaves the old file or the new one, never half of one. The .torrent is written
 * before the first .json that needs it, and removed after the .json: a .torrent alone is an
 * orphan, ignored.
 *
 * <p>Loading reads every .json; one that cannot be read (truncated, corrupt, of another
 * torrent, its .torrent unreadable) costs one log line and is skipped, and never stops the
 * daemon: that torrent can be added again.
 *
 * <p>Any thread: writes take turns on a lock of their own, held over their disk I/O so that a
 * newer state is never overwritten by an older one; nothing else ever waits for it.
 */
final class StateStore {

    private static final System.Logger LOG = System.getLogger(StateStore.class.getName());

    static final int VERSION = 1;
    /** A saved .json is small; anything larger is not ours. */
    static final int MAX_JSON_BYTES = 4 << 20;

    /** One saved torrent: its record, and its metainfo and resume data when known. */
    record Saved(TorrentRecord record, Optional<Metainfo> metainfo, Optional<ResumeData> resumeData, long position) {
    }

    private final Path dir;
    private final ReentrantLock writing = new ReentrantLock();

    StateStore(Path stateDir) throws IOException {
        this.dir = Files.createDirectories(stateDir.resolve("torrents"));
    }

    Path torrentFile(InfoHash infoHash) {
        return dir.resolve(infoHash.hex() + ".torrent");
    }

    private Path jsonFile(InfoHash infoHash) {
        return dir.resolve(infoHash.hex() + ".json");
    }

    /** Writes {@code metainfo} as HASH.torrent unless it is there already. */
    void saveMetainfo(Metainfo metainfo) throws IOException {
        Path file = torrentFile(metainfo.infoHash());
        writing.lock();
        try {
            if (!Files.exists(file)) {
                writeAtomically(file, metainfo.toTorrentFile());
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * Writes the record and resume data of a torrent; {@code state} is called under the write
     * lock, so what it returns is never older than what an earlier call wrote.
     */
    void save(Supplier<Optional<Saving>> state) throws IOException {
        writing.lock();
        try {
            Optional<Saving> s = state.get();
            if (s.isPresent()) {
                writeAtomically(jsonFile(s.get().record().infoHash()),
                        JsonWriter.utf8(toJson(s.get().record(), s.get().resumeData(), s.get().position())));
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * What {@link #save} writes: a record, resume data when there is some, and the torrent's
     * place in the list (its id then), so that the next start lists the torrents in the same order.
     */
    record Saving(TorrentRecord record, Optional<ResumeData> resumeData, long position) {
        Saving(TorrentRecord record, Optional<ResumeData> resumeData) {
            this(record, resumeData, Long.MAX_VALUE);
        }
    }

    /** Forgets a torrent: its .json first, then its .torrent. */
    void delete(InfoHash infoHash) throws IOException {
        writing.lock();
        try {
            Files.deleteIfExists(jsonFile(infoHash));
            Files.deleteIfExists(torrentFile(infoHash));
        } finally {
            writing.unlock();
        }
    }

    /** Every saved torrent that can be read; the others are logged and skipped. */
    List<Saved> loadAll() throws IOException {
        List<Saved> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    all.add(load(file));
                } catch (IOException | JsonException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: cannot be read, skipped (add the torrent again): {1}",
                            file, e.getMessage());
                }
            }
        }
        all.sort(Comparator.comparingLong(Saved::position).thenComparingLong(s -> s.record().addedDate()));
        return all;
    }

    private Saved load(Path file) throws IOException, JsonException, MetainfoException {
        if (Files.size(file) > MAX_JSON_BYTES) {
            throw new IOException("larger than " + MAX_JSON_BYTES + " bytes");
        }
        Json.Obj json = asObject(JsonReader.read(Files.readAllBytes(file)));
        if (number(json, "version").intValue() != VERSION) {
            throw new IOException("a state of another version");
        }
        TorrentRecord record = record(json);
        if (!file.getFileName().toString().equals(record.infoHash().hex() + ".json")) {
            throw new IOException("it names another torrent, " + record.infoHash().hex());
        }
        Optional<Metainfo> metainfo = Optional.empty();
        Path torrent = torrentFile(record.infoHash());
        if (Files.exists(torrent)) {
            Metainfo m = MetainfoParser.read(torrent);
            if (!m.infoHash().equals(record.infoHash())) {
                throw new IOException(torrent.getFileName() + " is another torrent's");
            }
            metainfo = Optional.of(m);
        }
        Optional<ResumeData> resume = json.get("resume").isPresent() && metainfo.isPresent()
                ? Optional.of(resumeData(asObject(json.get("resume").get()), metainfo.get()))
                : Optional.empty();
        long position = json.get("position").orElse(Json.NULL) instanceof Json.Num n ? exactLong(n.value()) : Long.MAX_VALUE;
        return new Saved(record, metainfo, resume, position);
    }

    // ---- JSON ---------------------------------------------------------------------------------

    static Json toJson(TorrentRecord r, Optional<ResumeData> resume, long position) {
        TorrentRecord.Limits l = r.limits();
        Json.ObjBuilder o = Json.object().put("version", VERSION).put("infoHash", r.infoHash().hex())
                .put("magnetLink", r.magnetLink()).put("downloadDir", r.downloadDir().toString())
                .put("paused", r.paused())
                .put("limits", Json.object().put("down", l.downKBps()).put("downLimited", l.downLimited())
                        .put("up", l.upKBps()).put("upLimited", l.upLimited()).build())
                .put("ratioLimit", r.ratioLimit()).put("ratioMode", r.ratioMode())
                .put("addedDate", r.addedDate()).put("doneDate", r.doneDate())
                .put("uploaded", r.uploadedBefore()).put("downloaded", r.downloadedBefore())
                .put("secondsDownloading", r.secondsDownloading()).put("secondsSeeding", r.secondsSeeding())
                .put("finished", r.finished()).put("position", position);
        resume.ifPresent(d -> {
            List<Json> files = new ArrayList<>();
            for (ResumeData.FileStamp f : d.files()) {
                files.add(Json.array(List.of(Json.of(f.size()), Json.of(f.modifiedNanos()))));
            }
            o.put("resume", Json.object().put("pieceCount", d.verified().pieceCount())
                    .put("verified", Base64.getEncoder().encodeToString(d.verified().toBytes()))
                    .put("files", Json.array(files)).build());
        });
        return o.build();
    }

    private static TorrentRecord record(Json.Obj o) throws IOException, MetainfoException {
        InfoHash hash;
        try {
            hash = InfoHash.fromHex(string(o, "infoHash"));
        } catch (IllegalArgumentException e) {
            throw new IOException("a bad info hash");
        }
        String magnet = string(o, "magnetLink");
        if (!MagnetLink.parse(magnet).infoHash().equals(hash)) {
            throw new IOException("its magnet link is another torrent's");
        }
        Json.Obj l = asObject(o.get("limits").orElseThrow(() -> new IOException("no limits")));
        TorrentRecord.Limits limits = new TorrentRecord.Limits(nonNegative(l, "down"), bool(l, "downLimited"),
                nonNegative(l, "up"), bool(l, "upLimited"));
        int ratioMode = (int) nonNegative(o, "ratioMode");
        double ratioLimit = number(o, "ratioLimit").doubleValue();
        if (ratioMode > 2 || !(ratioLimit >= 0)) {
            throw new IOException("a bad ratio goal");
        }
        return new TorrentRecord(hash, magnet, Path.of(string(o, "downloadDir")), bool(o, "paused"), limits,
                ratioLimit, ratioMode, nonNegative(o, "addedDate"), nonNegative(o, "doneDate"),
                nonNegative(o, "uploaded"), nonNegative(o, "downloaded"), nonNegative(o, "secondsDownloading"),
                nonNegative(o, "secondsSeeding"), bool(o, "finished"));
    }

    private static ResumeData resumeData(Json.Obj o, Metainfo metainfo) throws IOException {
        int pieceCount = (int) nonNegative(o, "pieceCount");
        if (pieceCount != metainfo.pieceCount()) {
            throw new IOException("resume data of " + pieceCount + " pieces for a torrent of " + metainfo.pieceCount());
        }
        Bitfield verified;
        try {
            verified = Bitfield.fromBytes(Base64.getDecoder().decode(string(o, "verified")), pieceCount);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad verified pieces: " + e.getMessage());
        }
        List<ResumeData.FileStamp> stamps = new ArrayList<>();
        if (!(o.get("files").orElse(Json.NULL) instanceof Json.Arr files) || files.items().size() != metainfo.files().size()) {
            throw new IOException("no stamp for every file");
        }
        for (Json f : files.items()) {
            if (!(f instanceof Json.Arr pair) || pair.items().size() != 2
                    || !(pair.items().get(0) instanceof Json.Num size) || !(pair.items().get(1) instanceof Json.Num time)) {
                throw new IOException("a bad file stamp");
            }
            stamps.add(new ResumeData.FileStamp(exactLong(size.value()), exactLong(time.value())));
        }
        return new ResumeData(verified, stamps);
    }

    private static Json.Obj asObject(Json v) throws IOException {
        if (v instanceof Json.Obj o) {
            return o;
        }
        throw new IOException("not a JSON object");
    }

    private static String string(Json.Obj o, String name) throws IOException {
        if (o.get(name).orElse(Json.NULL) instanceof Json.Str s) {
            return s.value();
        }
        throw new IOException("no text " + name);
    }

    private static boolean bool(Json.Obj o, String name) throws IOException {
        if (o.get(name).orElse(Json.NULL) instanceof Json.Bool b) {
            return b.value();
        }
        throw new IOException("no true or false " + name);
    }

    private static BigDecimal number(Json.Obj o, String name) throws IOException {
        if (o.get(name).orElse(Json.NULL) instanceof Json.Num n) {
            return n.value();
        }
        throw new IOException("no number " + name);
    }

    private static long nonNegative(Json.Obj o, String name) throws IOException {
        long v = exactLong(number(o, name));
        if (v < 0) {
            throw new IOException(name + " is negative");
        }
        return v;
    }

    private static long exactLong(BigDecimal n) throws IOException {
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new IOException("not a whole number: " + n);
        }
    }

    // ---- files --------------------------------------------------------------------------------

    /** Temporary file, forced, renamed over the target, then the directory forced (so the rename lasts too). */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.getParent();
        Path temporary = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a directory be forced; the rename itself is atomic
        }
    }

    /** Removes temporary files a crash left behind. */
    void removeLeftovers() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (NoSuchFileException e) {
            // nothing to clean
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot clean {0}: {1}", dir, e.getMessage());
        }
    }
}
