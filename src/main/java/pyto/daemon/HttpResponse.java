package pyto.daemon;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP reply of the daemon: status, headers, body. The server adds Content-Length,
 * Connection and the security headers every reply carries ({@link HttpServer}).
 * Immutable; any thread.
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    /** A short plain-text reply: for refusals and errors, never HTML. */
    public static HttpResponse text(int status, String message) {
        return new HttpResponse(status, Map.of("Content-Type", "text/plain; charset=UTF-8"),
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse json(Json value) {
        return new HttpResponse(200, Map.of("Content-Type", "application/json; charset=UTF-8"),
                JsonWriter.utf8(value));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, more, body);
    }

    /** The reason phrase of {@code status} (RFC 9110). */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 421 -> "Misdirected Request";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Status " + status;
        };
    }
}
