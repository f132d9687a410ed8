package pyto.peer;

import pyto.wire.PeerMessage;

/**
 * Sees every peer wire message sent and received, for {@code --trace}: people learning the
 * protocol watch a real exchange one line per message. Called from the peer's reader and
 * writer threads; implementations must be thread-safe and quick.
 */
public interface MessageTrace {

    MessageTrace NONE = (peer, outgoing, message) -> { };

    /**
     * @param peer     the remote end, "ip:port"
     * @param outgoing true for a message we sent, false for one we received
     */
    void message(String peer, boolean outgoing, PeerMessage message);

    default boolean enabled() {
        return this != NONE;
    }
}
