package pyto.session;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoException;
import pyto.metainfo.MetainfoParser;

/**
 * The .torrent files that magnet downloads leave next to their data: once the metadata has
 * arrived (BEP 9) it is saved as {@code NAME.torrent} in the download directory, so that the
 * next start of the same magnet link reads it there and needs no metadata exchange.
 *
 * <p>Runs on the torrent's main task; all I/O, no shared state.
 */
final class SavedTorrents {

    private static final System.Logger LOG = System.getLogger(SavedTorrents.class.getName());

    /** Torrent files looked at in a download directory, at most: a directory of thousands is not searched. */
    static final int MAX_LOOKED_AT = 200;

    private SavedTorrents() {
    }

    /**
     * The torrent of {@code magnet} saved in {@code dir} by an earlier run: {@code NAME.torrent}
     * when the link has a name, else any .torrent there with the link's info hash. Files that
     * cannot be read, or are of another torrent, are passed over.
     */
    static Optional<Metainfo> find(Path dir, MagnetLink magnet) {
        if (magnet.name().isPresent()) {
            Optional<Metainfo> named = read(dir.resolve(magnet.name().get() + ".torrent"), magnet);
            if (named.isPresent()) {
                return named;
            }
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        int looked = 0;
        try (DirectoryStream<Path> torrents = Files.newDirectoryStream(dir, "*.torrent")) {
            for (Path file : torrents) {
                if (++looked > MAX_LOOKED_AT) {
                    break;
                }
                Optional<Metainfo> found = read(file, magnet);
                if (found.isPresent()) {
                    return found;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot look for saved torrents in {0}: {1}", dir, e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<Metainfo> read(Path file, MagnetLink magnet) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Metainfo m = MetainfoParser.read(file);
            return m.infoHash().equals(magnet.infoHash()) ? Optional.of(m) : Optional.empty();
        } catch (MetainfoException e) {
            LOG.log(System.Logger.Level.DEBUG, "passing over {0}: {1}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Saves {@code metainfo} as {@code NAME.torrent} in {@code dir} (written to a temporary file,
     * then renamed, so that a crash leaves the old file or the new one, never half of one). An
     * existing file of another torrent is not replaced: the info hash is added to the name.
     */
    static Path save(Path dir, Metainfo metainfo) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(metainfo.name() + ".torrent");
        if (Files.exists(file) && read(file, MagnetLink.of(metainfo)).isEmpty()) {
            file = dir.resolve(metainfo.name() + "." + metainfo.infoHash().hex().substring(0, 8) + ".torrent");
        }
        Path temporary = Files.createTempFile(dir, ".pyto-", ".torrent.tmp");
        try {
            Files.write(temporary, metainfo.toTorrentFile());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return file;
    }
}
