package pyto.daemon;

/** Text that is not the JSON we accept (RFC 8259, within our limits), with where it went wrong. */
public final class JsonException extends Exception {

    public JsonException(String message) {
        super(message);
    }
}
