package pyto.metainfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a multi-file torrent as a tree of path components, to find two files that would
 * land on the same place: the same path twice (libtorrent's duplicate_files), or a file that is
 * also a directory of another ("a" and "a/b"). Paths are compared exactly, case included, after
 * {@link FilePathRules} has checked each component.
 *
 * <p>A tree rather than a set of joined strings: each file costs one step per component, so a
 * hostile torrent with long paths cannot make the check quadratic. Made and used by one
 * parsing thread; not thread-safe.
 */
final class PathTree {

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        int file; // the 1-based number of the file that ends here, 0 for a directory
        List<String> path;
    }

    private final Node root = new Node();

    /** Records file {@code number} at {@code path}; refuses a path that collides with an earlier file. */
    void add(List<String> path, int number) throws MetainfoException {
        Node node = root;
        for (String component : path) {
            if (node.file != 0) {
                throw new MetainfoException("file " + number + " " + FilePathRules.quote(path) + " lies inside file "
                        + node.file + " " + FilePathRules.quote(node.path) + ", which is a file, not a directory");
            }
            node = node.children.computeIfAbsent(component, c -> new Node());
        }
        if (node.file != 0) {
            throw new MetainfoException("file " + number + " has the same path as file " + node.file + ": "
                    + FilePathRules.quote(path));
        }
        if (!node.children.isEmpty()) {
            throw new MetainfoException("file " + number + " " + FilePathRules.quote(path)
                    + " is also a directory holding earlier files");
        }
        node.file = number;
        node.path = path;
    }
}
