package pyto.daemon;

/**
 * A remote-control call that cannot be done: its message becomes the reply's {@code result}
 * string, which Transmission's clients show as the error (e.g. "Error: ..." from
 * transmission-remote). A message for a person, never a stack trace.
 */
public final class RpcException extends Exception {

    public RpcException(String message) {
        super(message);
    }
}
