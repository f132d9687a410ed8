package pyto.daemon;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import pyto.metainfo.FileEntry;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoException;
import pyto.metainfo.MetainfoParser;

/**
 * Deletes a removed torrent's data (Transmission's {@code delete-local-data}): exactly the files
 * its metainfo lists, below its download directory, then the directories they leave empty, and
 * the {@code NAME.torrent} a magnet download saved beside them. Nothing else: a file the user
 * put in the torrent's directory keeps the directory. A path that leads out of the download
 * directory (a link in the way) is left alone, and a link is deleted as a link, never followed.
 * Runs on the caller's thread; the torrent must be stopped.
 */
final class LocalData {

    private static final System.Logger LOG = System.getLogger(LocalData.class.getName());

    private LocalData() {
    }

    /** Deletes what it can; the number of files deleted. */
    static int delete(Metainfo metainfo, Path downloadDir) throws IOException {
        Path base = downloadDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            return 0;
        }
        Path realBase = base.toRealPath();
        int deleted = 0;
        Set<Path> dirs = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(p -> p));
        for (FileEntry f : metainfo.files()) {
            if (f.padding()) {
                continue;
            }
            Path file = base;
            for (String component : f.path()) {
                file = file.resolve(component);
            }
            file = file.normalize();
            if (!file.startsWith(base) || file.equals(base) || !insideReally(file, realBase)) {
                LOG.log(System.Logger.Level.WARNING, "not deleting {0}: it is not inside {1}", file, base);
                continue;
            }
            if (Files.deleteIfExists(file)) {
                deleted++;
            }
            for (Path d = file.getParent(); !d.equals(base); d = d.getParent()) {
                dirs.add(d);
            }
        }
        for (Path d : dirs) { // deepest first
            try {
                if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(d);
                }
            } catch (DirectoryNotEmptyException e) {
                // something of the user's is in it: it stays
            }
        }
        deleteSavedTorrent(metainfo, base);
        return deleted;
    }

    /** Whether the directory {@code file} is in, links resolved, is inside {@code realBase}. */
    private static boolean insideReally(Path file, Path realBase) {
        try {
            Path parent = file.getParent();
            return !Files.exists(parent) || parent.toRealPath().startsWith(realBase);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteSavedTorrent(Metainfo metainfo, Path base) throws IOException {
        Path saved = base.resolve(metainfo.name() + ".torrent").normalize();
        if (!saved.getParent().equals(base) || !Files.isRegularFile(saved, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (MagnetLink.of(MetainfoParser.read(saved)).infoHash().equals(metainfo.infoHash())) {
                Files.delete(saved);
            }
        } catch (MetainfoException e) {
            // not a torrent of ours
        }
    }
}
