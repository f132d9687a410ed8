package pyto.metainfo;

import java.util.Optional;

/**
 * What a torrent's name and each component of a file path may be, so that joining them below
 * a download directory can never reach outside it (BEP 3 leaves this to the client).
 *
 * <p>A component is one directory or file name: not empty, not {@code .} or {@code ..}, and
 * without {@code /}, {@code \} or NUL inside. Both separators are refused whatever the platform:
 * a torrent made on one system is opened on another, and {@code a\..\b} is a path on Windows.
 * Anything else is allowed, including spaces at the end and names longer than a file system
 * accepts (libtorrent's invalid_name3 and long_name torrents must load); storage reports what the
 * file system itself refuses. The creator applies the same rules, so that pyto never makes a
 * torrent it would refuse to read.
 */
final class FilePathRules {

    /** How much of a hostile name an error message repeats. */
    private static final int MAX_QUOTED = 80;

    private FilePathRules() {
    }

    /** What is wrong with {@code component} as a file or directory name, if anything. */
    static Optional<String> problem(String component) {
        if (component.isEmpty()) {
            return Optional.of("an empty path component");
        }
        if (component.equals("..")) {
            return Optional.of("a \"..\" path component, which would climb out of the download directory");
        }
        if (component.equals(".")) {
            return Optional.of("a \".\" path component");
        }
        char first = component.charAt(0);
        if (first == '/' || first == '\\') {
            return Optional.of("an absolute path " + quote(component));
        }
        if (component.indexOf('/') >= 0 || component.indexOf('\\') >= 0) {
            return Optional.of("a path separator inside the component " + quote(component));
        }
        if (component.indexOf('\0') >= 0) {
            return Optional.of("a NUL byte inside the component " + quote(component));
        }
        return Optional.empty();
    }

    /**
     * {@code text} in quotes for an error message: control characters escaped so that a hostile
     * name cannot break the message's single line or play tricks on a terminal, and cut short.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            if (i == MAX_QUOTED) {
                out.append("...");
                break;
            }
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A path for an error message: components joined with '/', quoted. */
    static String quote(java.util.List<String> path) {
        return quote(String.join("/", path));
    }
}
