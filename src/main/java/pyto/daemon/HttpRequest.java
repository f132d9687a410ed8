package pyto.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request to the daemon (RFC 9112): its request line and headers, read under
 * limits by {@link #readHead}, and its body once the server has decided to read it.
 * Header names are kept in lower case. Runs on the connection's virtual thread.
 *
 * @param path    the request target up to any '?': {@code /transmission/rpc}
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param body    empty until the server has read it
 */
public record HttpRequest(String method, String path, String version, List<Map.Entry<String, String>> headers,
                          byte[] body, InetAddress remote) {

    /** The request line and headers together, at most. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 100;

    /** Headers the checks rest on: given twice, which one would count? Refused instead. */
    private static final Set<String> SINGLE = Set.of("host", "origin", "authorization", "content-length",
            "transfer-encoding", "x-transmission-session-id", "expect", "connection");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public HttpRequest {
        headers = List.copyOf(headers);
    }

    /** A request the server answers with {@code status} and closes: the message says why, in plain text. */
    static final class BadRequest extends Exception {
        private final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** The value of header {@code name} (lower case), if given. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equals(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    HttpRequest withBody(byte[] bytes) {
        return new HttpRequest(method, path, version, headers, bytes, remote);
    }

    /** Whether the client lets the connection carry another request after this one. */
    boolean keepAlive() {
        String connection = header("connection").orElse("").toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
    }

    /**
     * Reads a request line and its headers, up to the empty line that ends them; null when the
     * connection ended (or was idle until the deadline) before the first byte of a request.
     */
    static HttpRequest readHead(InputStream in, InetAddress remote) throws IOException, BadRequest {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (total == 0) {
                    return null;
                }
                throw new BadRequest(400, "the request ended before its headers did");
            }
            if (++total > MAX_HEAD_BYTES) {
                throw new BadRequest(431, "request line and headers longer than " + MAX_HEAD_BYTES / 1024 + " KiB");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // RFC 9112 allows empty lines before the request line
                }
                break;
            }
            if (lines.size() > MAX_HEADERS) {
                throw new BadRequest(431, "more than " + MAX_HEADERS + " headers");
            }
            lines.add(text);
        }
        return parse(lines, remote);
    }

    private static HttpRequest parse(List<String> lines, InetAddress remote) throws BadRequest {
        // request-line = method SP request-target SP HTTP-version
        String[] parts = lines.get(0).split(" ", -1);
        if (parts.length != 3 || !parts[2].matches("HTTP/1\\.[01]") || !parts[0].matches("[A-Z]{1,16}")
                || !parts[1].startsWith("/")) {
            throw new BadRequest(400, "not an HTTP/1.x request line");
        }
        if (!parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new BadRequest(400, "bad characters in the request target");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(h.substring(0, colon)).matches()) {
                throw new BadRequest(400, "a malformed header line"); // also obs-fold, and "Name :"
            }
            String name = h.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            if (SINGLE.contains(name) && headers.stream().anyMatch(e -> e.getKey().equals(name))) {
                throw new BadRequest(400, "header " + name + " given twice");
            }
            headers.add(Map.entry(name, value));
        }
        int query = parts[1].indexOf('?');
        String path = query < 0 ? parts[1] : parts[1].substring(0, query);
        return new HttpRequest(parts[0], path, parts[2], headers, new byte[0], remote);
    }
}
