package pyto.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The request line of an HTTP request to the embedded tracker, read with its headers, which the
 * tracker does not need, up to the blank line that ends them (RFC 9112). At most
 * {@value #MAX_BYTES} bytes are read; anything else is a {@link BadRequest}.
 * Runs on the connection's virtual thread.
 *
 * @param target the origin-form request target: {@code /announce?info_hash=...}
 */
record RequestHead(String target) {

    static final int MAX_BYTES = 8 * 1024;

    /**
     * A request the tracker cannot serve; the reply carries the message as a bencoded failure
     * reason. A request that starts like a tracker client's ({@code GET }) gets status 200,
     * because clients only show a failure reason from a 200 reply; anything else gets 400.
     */
    static final class BadRequest extends Exception {
        private final boolean fromTrackerClient;

        BadRequest(String message, boolean fromTrackerClient) {
            super(message);
            this.fromTrackerClient = fromTrackerClient;
        }

        int status() {
            return fromTrackerClient ? 200 : 400;
        }
    }

    /** Reads one request head; null when the client closed the connection without sending a byte. */
    static RequestHead read(InputStream in) throws IOException, BadRequest {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int newlines = 0; // consecutive LFs, ignoring CRs: two end the head
        try {
            while (newlines < 2) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new BadRequest("request ended before its headers did", looksLikeGet(head));
                }
                if (head.size() >= MAX_BYTES) {
                    throw new BadRequest("request line and headers longer than 8 KiB", looksLikeGet(head));
                }
                head.write(b);
                if (b == '\n') {
                    newlines++;
                } else if (b != '\r') {
                    newlines = 0;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new BadRequest("no complete request in time", looksLikeGet(head));
        }
        String text = head.toString(StandardCharsets.ISO_8859_1).stripLeading(); // RFC 9112 allows blank lines first
        int end = text.indexOf('\n');
        return parseRequestLine((end < 0 ? text : text.substring(0, end)).strip());
    }

    // request-line = method SP request-target SP HTTP-version
    private static RequestHead parseRequestLine(String line) throws BadRequest {
        String[] parts = line.split(" ", -1);
        boolean get = line.startsWith("GET ");
        if (parts.length != 3 || !parts[2].matches("HTTP/1\\.[01]")) {
            throw new BadRequest("not an HTTP/1.x request", get);
        }
        if (!get) {
            throw new BadRequest("only GET is supported", false);
        }
        if (!parts[1].startsWith("/")) {
            throw new BadRequest("bad request target: " + HttpReplyParser.printablePrefix(
                    parts[1].getBytes(StandardCharsets.ISO_8859_1)), true);
        }
        return new RequestHead(parts[1]);
    }

    private static boolean looksLikeGet(ByteArrayOutputStream head) {
        return head.toString(StandardCharsets.ISO_8859_1).startsWith("GET ");
    }

    /** The path: {@code /announce}. */
    String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The raw query string after '?', or empty. */
    String rawQuery() {
        int query = target.indexOf('?');
        return query < 0 ? "" : target.substring(query + 1);
    }
}
