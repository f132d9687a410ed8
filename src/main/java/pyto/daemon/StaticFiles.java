package pyto.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web page's files, served from the jar ({@code /pyto/daemon/web/} on the class path):
 * {@code /} is {@code index.html}. Only plain names of known kinds are served (letters,
 * digits, '-', '_' and '.', never a component that starts with a dot), so no request can
 * reach another resource of the jar. Stateless; any thread.
 */
final class StaticFiles {

    static final String ROOT = "/pyto/daemon/web";
    private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}){1,4}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "js", "text/javascript; charset=UTF-8",
            "json", "application/json; charset=UTF-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=UTF-8");

    /** The reply for {@code path}, or empty when there is no such file. */
    Optional<HttpResponse> get(String path) {
        String p = path.equals("/") ? "/index.html" : path;
        String type = type(p);
        if (type == null || !SAFE.matcher(p).matches()) {
            return Optional.empty();
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + p)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new HttpResponse(200, Map.of("Content-Type", type), in.readAllBytes()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean exists(String path) {
        return get(path).isPresent();
    }

    private static String type(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    }
}
