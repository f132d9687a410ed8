package pyto.tracker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Frames one HTTP/1.1 reply read from a stream (RFC 9112): the status line and headers, then a
 * body sized by Content-Length, chunked, or running to the end of the connection. Every length is
 * checked against a cap before anything is allocated, and a reply that stops early is an error,
 * never a silently short body. Used by {@link HttpGet}, on the calling thread.
 */
final class HttpReplyReader {

    /** Status line plus headers; a tracker's are a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    /** A reply's head; header names are lower-cased. */
    record Head(int status, String statusLine, Map<String, String> headers) {
    }

    private final int maxBodyBytes;

    HttpReplyReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    // status-line = HTTP-version SP status-code SP [reason]; then "Name: value" lines, then an empty line
    static Head readHead(InputStream in) throws IOException {
        int budget = MAX_HEAD_BYTES; // for all lines together
        while (true) {
            String statusLine = readLine(in, budget, "in the status line");
            if (statusLine == null) {
                throw new TrackerException("tracker closed the connection without replying");
            }
            budget -= statusLine.length() + 2;
            if (!statusLine.matches("HTTP/\\d\\.\\d \\d{3}( .*)?")) {
                throw new TrackerException("not an HTTP reply: "
                        + HttpReplyParser.printablePrefix(statusLine.getBytes(StandardCharsets.ISO_8859_1)));
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new HashMap<>();
            String line;
            while (!(line = requireLine(in, budget, "in the reply headers")).isEmpty()) {
                budget -= line.length() + 2;
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            if (status >= 200) {
                return new Head(status, statusLine, headers);
            }
            // 1xx is an interim reply (100 Continue): the real one follows
        }
    }

    byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String transferEncoding = headers.get("transfer-encoding");
        if (transferEncoding != null) {
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                throw new TrackerException("unsupported Transfer-Encoding: " + transferEncoding);
            }
            return readChunked(in);
        }
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            if (!contentLength.matches("\\d{1,18}")) {
                throw new TrackerException("bad Content-Length: " + contentLength);
            }
            long length = Long.parseLong(contentLength);
            if (length > maxBodyBytes) {
                throw tooLarge();
            }
            byte[] body = new byte[(int) length];
            try {
                new DataInputStream(in).readFully(body);
            } catch (EOFException e) {
                throw new TrackerException("reply truncated: the connection closed before Content-Length " + length);
            }
            return body;
        }
        return readToEnd(in);
    }

    // chunked-body = *(chunk-size [; ext] CRLF data CRLF) "0" CRLF *(trailer CRLF) CRLF
    private byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataInputStream data = new DataInputStream(in);
        while (true) {
            String sizeLine = requireLine(in, 1024, "in a chunked reply");
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            if (!hex.matches("[0-9a-fA-F]{1,8}")) {
                throw new TrackerException("bad chunk size in a chunked reply: " + hex);
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                // trailers carry nothing a tracker reply needs: skip them, within the head's budget
                int budget = MAX_HEAD_BYTES;
                String trailer;
                while (!(trailer = requireLine(in, budget, "in the trailers of a chunked reply")).isEmpty()) {
                    budget -= trailer.length() + 2;
                }
                return body.toByteArray();
            }
            if (body.size() + size > maxBodyBytes) {
                throw tooLarge();
            }
            byte[] chunk = new byte[(int) size];
            try {
                data.readFully(chunk);
            } catch (EOFException e) {
                throw new TrackerException("reply truncated in the middle of a chunk");
            }
            body.writeBytes(chunk);
            int end = in.read();
            if (end == '\r') {
                end = in.read();
            }
            if (end != '\n') {
                throw new TrackerException(end < 0 ? "reply truncated after a chunk" : "a chunk is longer than its size says");
            }
        }
    }

    private byte[] readToEnd(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return body;
    }

    private TrackerException tooLarge() {
        return new TrackerException("reply larger than " + sizeText(maxBodyBytes));
    }

    static String sizeText(int bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    private static String requireLine(InputStream in, int limit, String where) throws IOException {
        String line = readLine(in, limit, where);
        if (line == null) {
            throw new TrackerException("reply truncated " + where);
        }
        return line;
    }

    /**
     * A line ending in LF (a CR before it is dropped) of at most {@code limit} bytes, or null
     * when the stream ends before its first byte.
     */
    private static String readLine(InputStream in, int limit, String where) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new TrackerException("reply truncated " + where);
            }
            if (line.size() >= limit) {
                throw new TrackerException("reply line too long " + where);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
