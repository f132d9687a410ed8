package pyto.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a remote control may download into ({@code --download-root}, by default the
 * {@code -d} directory): a directory it names must lie under one of them once normalised and
 * with every symbolic link resolved, so that neither {@code ..} nor a link can send a torrent's
 * files over the user's own. Whatever part of the path does not exist yet is checked as
 * written, after the existing part's links are resolved. Immutable; any thread.
 */
final class DownloadRoots {

    private final List<Path> roots; // real paths

    /** Creates the roots if needed. */
    DownloadRoots(List<Path> dirs) throws IOException {
        List<Path> real = new ArrayList<>();
        for (Path d : dirs) {
            real.add(Files.createDirectories(d.toAbsolutePath().normalize()).toRealPath());
        }
        this.roots = List.copyOf(real);
    }

    List<Path> roots() {
        return roots;
    }

    /**
     * {@code requested} resolved: absolute, normalised, links resolved; refused with a message
     * that says why unless it lies under a root.
     */
    Path resolve(String requested) throws RpcException {
        Path p;
        try {
            p = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new RpcException("download directory \"" + requested + "\" is not a path");
        }
        if (!p.isAbsolute()) {
            throw new RpcException("download directory \"" + requested + "\" is not an absolute path");
        }
        Path resolved = realPath(p.normalize());
        for (Path root : roots) {
            if (resolved.startsWith(root)) {
                return resolved;
            }
        }
        throw new RpcException("download directory \"" + requested + "\" is outside the download roots "
                + roots + " (start pyto daemon with --download-root DIR to allow another)");
    }

    /** The real path of the deepest part of {@code p} that exists, with the rest appended as written. */
    private static Path realPath(Path p) throws RpcException {
        Path existing = p;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing)) {
            rest.addFirst(existing.getFileName());
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? p.getRoot() : existing.toRealPath();
            for (Path name : rest) {
                real = real.resolve(name);
            }
            return real;
        } catch (IOException e) {
            throw new RpcException("download directory " + p + " cannot be looked at: " + e.getMessage());
        }
    }
}
