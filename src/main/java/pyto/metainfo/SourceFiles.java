package pyto.metainfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What a new torrent is made of: one file, or every regular file below a directory, empty ones
 * included, in a stable order (by path components, each compared as UTF-8 bytes, as BEP 3
 * compares keys). Runs on the caller's thread.
 *
 * <p>Symbolic links below the directory are skipped with a warning, never followed: a link
 * could pull in files from anywhere, or loop. Names that {@link FilePathRules} would refuse when
 * reading the torrent (a backslash is legal in a Linux file name) stop the creation with a
 * message, since pyto never makes a torrent that it would itself refuse.
 *
 * @param name       the torrent's name: the file's or the directory's own name
 * @param singleFile whether the source is one file (BEP 3's {@code length} form)
 * @param files      the files in torrent order
 */
record SourceFiles(String name, boolean singleFile, List<SourceFile> files) {

    private static final System.Logger LOG = System.getLogger(SourceFiles.class.getName());

    /**
     * One file of the content.
     *
     * @param file   where it is on disk
     * @param path   its path below the torrent's directory; {@code [name]} for a single file
     * @param length its size when scanned
     */
    record SourceFile(Path file, List<String> path, long length) {
    }

    /** Orders paths component by component, each as unsigned UTF-8 bytes; a parent before its children. */
    static final Comparator<List<String>> BY_COMPONENTS = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Arrays.compareUnsigned(a.get(i).getBytes(StandardCharsets.UTF_8), b.get(i).getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    SourceFiles {
        files = List.copyOf(files);
    }

    long totalLength() {
        return files.stream().mapToLong(SourceFile::length).sum();
    }

    static SourceFiles scan(Path source) throws IOException {
        Path fileName = source.toAbsolutePath().normalize().getFileName();
        if (fileName == null) {
            throw new IOException("cannot make a torrent of " + source + ": it has no name to give the torrent");
        }
        String name = checkedName(fileName.toString(), source);
        // The source itself is followed if it is a link (the user named it), but keeps its own name.
        Path real = source.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        if (attributes.isRegularFile()) {
            return new SourceFiles(name, true, List.of(new SourceFile(real, List.of(name), attributes.size())));
        }
        if (!attributes.isDirectory()) {
            throw new IOException("cannot make a torrent of " + source + ": it is neither a file nor a directory");
        }
        List<SourceFile> files = walk(real);
        if (files.isEmpty()) {
            throw new IOException("cannot make a torrent of " + source + ": the directory holds no files");
        }
        List<SourceFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(SourceFile::path, BY_COMPONENTS));
        return new SourceFiles(name, false, sorted);
    }

    /**
     * Checks that no file changed size while it was hashed, since the hashes would then describe
     * content that no longer exists.
     */
    void checkUnchanged() throws IOException {
        for (SourceFile f : files) {
            long now = Files.size(f.file());
            if (now != f.length()) {
                throw new IOException(f.file() + " changed while it was hashed (" + f.length() + " bytes, now " + now
                        + "); try again when nothing writes to it");
            }
        }
    }

    private static List<SourceFile> walk(Path root) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        // No FOLLOW_LINKS: a link to a directory is reported as a link, not entered.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isSymbolicLink()) {
                    LOG.log(System.Logger.Level.WARNING, "skipping the symbolic link {0}: links are not followed", file);
                } else if (attributes.isRegularFile()) {
                    List<String> path = new ArrayList<>();
                    for (Path component : root.relativize(file)) {
                        path.add(checkedName(component.toString(), file));
                    }
                    files.add(new SourceFile(file, path, attributes.size()));
                } else {
                    LOG.log(System.Logger.Level.WARNING, "skipping {0}: not a regular file", file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static String checkedName(String name, Path file) throws IOException {
        var problem = FilePathRules.problem(name);
        if (problem.isPresent()) {
            throw new IOException("cannot put " + file + " in a torrent: its name has " + problem.get());
        }
        return name;
    }
}
