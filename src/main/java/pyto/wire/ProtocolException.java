package pyto.wire;

import java.io.IOException;

/**
 * A peer broke the peer wire protocol (BEP 3): a bad handshake, a message longer than any
 * valid one, a length that does not match its message id, a bitfield of the wrong size.
 * The connection cannot continue (the byte stream is out of step or the peer is hostile),
 * so the caller drops the peer; it is an {@link IOException} because that is what dropping
 * a peer already handles.
 */
public class ProtocolException extends IOException {

    public ProtocolException(String message) {
        super(message);
    }
}
