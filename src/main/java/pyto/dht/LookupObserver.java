package pyto.dht;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Watches one lookup as it goes: each node asked, what it answered, each peer found. The
 * session takes peers as they come instead of waiting for the end; {@code pyto dht lookup}
 * prints every hop for learners. Called on the lookup's own thread (the caller's).
 */
public interface LookupObserver {

    LookupObserver NONE = new LookupObserver() {
    };

    /** Only the peers, as they are found. */
    static LookupObserver onPeer(Consumer<InetSocketAddress> consumer) {
        return new LookupObserver() {
            @Override
            public void peer(InetSocketAddress peer) {
                consumer.accept(peer);
            }
        };
    }

    default void asked(Contact node) {
    }

    default void answered(Contact node, KrpcMessage.Response response) {
    }

    /** A node that did not answer in time, answered with an error, or answered with another id. */
    default void failed(Contact node, String why) {
    }

    /** A peer no earlier answer of this lookup gave. */
    default void peer(InetSocketAddress peer) {
    }
}
