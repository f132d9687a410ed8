package pyto.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

import pyto.metainfo.FileEntry;
import pyto.metainfo.Metainfo;

/**
 * Where each file of a torrent lives below the download directory (BEP 3): a single-file
 * torrent is {@code downloadDir/name}, a multi-file one {@code downloadDir/name/path...} (the
 * metainfo's file paths already begin with the name, so each resolves against the download
 * directory); and
 * how to open those files without ever touching anything outside the download directory.
 *
 * <p>The metainfo parser has already refused unsafe paths; this class checks again, because a
 * path that escapes would write over a user's files. Three checks: every target, normalized,
 * must lie strictly inside the download directory; at open time the real path of the parent
 * directory (symbolic links resolved) must still lie inside it, before any directory is
 * created and again after, so that a link left in the download directory that points
 * elsewhere is never followed; and the file itself must not be a symbolic link (it is
 * opened with {@code NOFOLLOW_LINKS} too): a torrent's files are never links.
 *
 * <p>Stateless after construction; any thread.
 */
final class SafeFiles {

    private final Path downloadDir;
    private final Path location;
    private final Path[] targets;

    SafeFiles(Metainfo metainfo, Path downloadDir) throws UnsafePathException {
        this.downloadDir = downloadDir.toAbsolutePath().normalize();
        this.location = inside(this.downloadDir.resolve(metainfo.name()).normalize(), metainfo.name());
        List<FileEntry> files = metainfo.files();
        targets = new Path[files.size()];
        for (int i = 0; i < targets.length; i++) {
            Path p = this.downloadDir;
            for (String component : files.get(i).path()) {
                p = p.resolve(component);
            }
            targets[i] = inside(p.normalize(), files.get(i).displayPath());
        }
    }

    private Path inside(Path p, String what) throws UnsafePathException {
        if (!p.startsWith(downloadDir) || p.equals(downloadDir)) {
            throw new UnsafePathException("Refusing " + what + ": " + p
                    + " is not inside the download directory " + downloadDir);
        }
        return p;
    }

    /** The file (single-file torrent) or top directory (multi-file) that holds the torrent. */
    Path location() {
        return location;
    }

    Path path(int file) {
        return targets[file];
    }

    /**
     * Opens {@code file} for reading and writing, creating it and its parent directories if
     * needed; an existing file is neither truncated nor preallocated (sparse is fine).
     */
    FileChannel openForWrite(int file) throws IOException {
        Path target = targets[file];
        try {
            Files.createDirectories(downloadDir); // the user's choice: links here are followed
            Path root = downloadDir.toRealPath();
            Path parent = target.getParent();
            // Check before creating anything: createDirectories would follow a link outward.
            requireInside(root, deepestExisting(parent).toRealPath(), target);
            Files.createDirectories(parent);
            requireInside(root, parent.toRealPath(), target);
            requireNotLink(target);
            return FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw DiskErrors.describe(e, "opening for writing", target);
        }
    }

    /** Opens {@code file} for reading; a file that is not there is a {@link MissingDataException}. */
    FileChannel openForRead(int file) throws IOException {
        Path target = targets[file];
        try {
            requireInside(downloadDir.toRealPath(), target.getParent().toRealPath(), target);
            requireNotLink(target);
            return FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new MissingDataException("No such file: " + target);
        } catch (IOException e) {
            throw DiskErrors.describe(e, "opening", target);
        }
    }

    /**
     * The size of {@code file} on disk, or -1 if it is missing, not a regular file, or not
     * safely inside the download directory (opening it would be refused anyway). Creates nothing.
     */
    long size(int file) {
        Path target = targets[file];
        try {
            requireInside(downloadDir.toRealPath(), target.getParent().toRealPath(), target);
            BasicFileAttributes attributes =
                    Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes.size() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The size and modification time of {@code file} on disk, or {@link ResumeData.FileStamp#MISSING}
     * under the same conditions as {@link #size}. Creates nothing.
     */
    ResumeData.FileStamp stamp(int file) {
        Path target = targets[file];
        try {
            requireInside(downloadDir.toRealPath(), target.getParent().toRealPath(), target);
            BasicFileAttributes attributes =
                    Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile()
                    ? new ResumeData.FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                    : ResumeData.FileStamp.MISSING;
        } catch (IOException e) {
            return ResumeData.FileStamp.MISSING;
        }
    }

    private static Path deepestExisting(Path dir) {
        Path p = dir;
        while (!Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private void requireInside(Path root, Path realDir, Path target) throws UnsafePathException {
        if (!realDir.startsWith(root)) {
            throw new UnsafePathException("Refusing " + target + ": its directory leads to " + realDir
                    + ", outside the download directory " + downloadDir);
        }
    }

    private static void requireNotLink(Path target) throws UnsafePathException {
        if (Files.isSymbolicLink(target)) {
            throw new UnsafePathException("Refusing " + target + ": it is a symbolic link");
        }
    }
}
