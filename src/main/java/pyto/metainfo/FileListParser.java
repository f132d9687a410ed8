package pyto.metainfo;

import java.util.ArrayList;
import java.util.List;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;

/**
 * Reads the {@code files} list of a multi-file torrent (BEP 3) into {@link FileEntry}s laid end
 * to end, with BEP 47's file attributes. Runs on the caller's thread.
 *
 * <p>Each path gets the torrent's name in front, so every entry's path is relative to the
 * download directory. Attributes: {@code p} marks a pad file, zeros that fill up a piece and are
 * never written; its path is not read at all (libtorrent's pad_file_no_path has none) and it
 * gets a synthetic one, {@code [name, ".pad", length]}, that takes no part in the collision check.
 * {@code l} marks a symlink: pyto never creates symlinks, whose targets could point outside the
 * download directory, so it is an ordinary file of its stated length, and a symlink without a
 * length (libtorrent's symlink_zero_size) is an empty file. {@code x} (executable) and {@code h}
 * (hidden) change nothing here.
 */
final class FileListParser {

    private FileListParser() {
    }

    static List<FileEntry> parse(String name, BValue files) throws MetainfoException {
        if (!(files instanceof BList list)) {
            throw new MetainfoException("'files' is not a list");
        }
        if (list.size() == 0) {
            throw new MetainfoException("the torrent has no files: its 'files' list is empty");
        }
        PathTree tree = new PathTree();
        List<FileEntry> entries = new ArrayList<>(list.size());
        long offset = 0;
        for (int i = 0; i < list.size(); i++) {
            int number = i + 1;
            if (!(list.get(i) instanceof BDict file)) {
                throw new MetainfoException("file " + number + " is not a dictionary");
            }
            String attr = file.string("attr").map(BString::text).orElse("");
            boolean padding = attr.indexOf('p') >= 0;
            boolean symlink = attr.indexOf('l') >= 0;
            long length = length(file, number, symlink);
            List<String> path;
            if (padding) {
                path = List.of(name, ".pad", Long.toString(length));
            } else {
                path = path(file, number, name);
                tree.add(path, number);
            }
            entries.add(new FileEntry(path, length, offset, padding));
            offset = InfoDictParser.addLength(offset, length);
        }
        return entries;
    }

    private static long length(BDict file, int number, boolean symlink) throws MetainfoException {
        BValue value = file.get("length").orElse(null);
        if (value == null && symlink) {
            return 0;
        }
        if (value == null) {
            throw new MetainfoException("file " + number + " has no length");
        }
        return InfoDictParser.checkLength(value, "file " + number);
    }

    private static List<String> path(BDict file, int number, String name) throws MetainfoException {
        BValue value = file.get("path").orElseThrow(
                () -> new MetainfoException("file " + number + " has no path"));
        if (!(value instanceof BList components)) {
            throw new MetainfoException("file " + number + "'s path is not a list");
        }
        if (components.size() == 0) {
            throw new MetainfoException("file " + number + " has an empty path");
        }
        List<String> path = new ArrayList<>(components.size() + 1);
        path.add(name);
        for (BValue component : components.values()) {
            if (!(component instanceof BString string)) {
                throw new MetainfoException("file " + number + "'s path holds something that is not a string");
            }
            path.add(string.text());
        }
        for (String component : path.subList(1, path.size())) {
            var problem = FilePathRules.problem(component);
            if (problem.isPresent()) {
                throw new MetainfoException("file " + number + " " + FilePathRules.quote(path) + " has "
                        + problem.get());
            }
        }
        return path;
    }
}
