package pyto.metainfo;

import java.util.Map;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BString;
import pyto.bencode.BValue;

/**
 * A look at the v2 {@code file tree} of a hybrid v1+v2 torrent (BEP 52), which pyto otherwise
 * ignores: it reads hybrids through their v1 keys.
 *
 * <p>Only the shape is checked: directories are dictionaries of named entries, and a file is a
 * dictionary whose single key is the empty string, holding a dictionary with an integer
 * {@code length}. A torrent whose v2 half is not even well formed (libtorrent's
 * v2_invalid_file) was made by a broken tool, and v2 peers in the same swarm refuse it; pyto
 * refuses it too rather than join half a torrent. Whether the v1 and v2 halves describe the same
 * files is not checked; that would need the v2 hashes pyto does not read.
 */
final class HybridFileTree {

    private HybridFileTree() {
    }

    static void check(BValue fileTree) throws MetainfoException {
        if (!(fileTree instanceof BDict root) || root.size() == 0) {
            throw malformed("it is not a dictionary of files");
        }
        directory(root);
    }

    // Depth is bounded by the decoder's nesting limit, so recursion is safe here.
    private static void directory(BDict node) throws MetainfoException {
        for (Map.Entry<BString, BValue> entry : node.entries().entrySet()) {
            if (entry.getKey().length() == 0) {
                if (node.size() != 1) {
                    throw malformed("a file entry shares its dictionary with other names");
                }
                file(entry.getValue());
            } else if (entry.getValue() instanceof BDict child && child.size() > 0) {
                directory(child);
            } else {
                throw malformed("the entry " + FilePathRules.quote(entry.getKey().text())
                        + " is neither a file nor a directory");
            }
        }
    }

    private static void file(BValue leaf) throws MetainfoException {
        if (!(leaf instanceof BDict file) || !(file.get("length").orElse(null) instanceof BInteger(long length))
                || length < 0) {
            throw malformed("a file has no valid length");
        }
    }

    private static MetainfoException malformed(String why) {
        return new MetainfoException("this hybrid v1+v2 torrent has a malformed v2 'file tree' (" + why
                + "); a torrent whose halves disagree in shape is not one to join");
    }
}
