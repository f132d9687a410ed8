package pyto.dht;

import java.net.InetSocketAddress;

/**
 * {@code --trace} for the DHT: told of every KRPC message the node sends or receives, decoded,
 * one call each (e.g. {@code 127.0.0.1:6881 -> find_node 3f2a9c01 from 9b00e1d2}), and of
 * datagrams it drops as junk. Called on the node's reader and sender threads: implementations
 * must be quick and thread-safe.
 */
@FunctionalInterface
public interface DhtTrace {

    DhtTrace NONE = (remote, outgoing, message) -> { };

    void message(InetSocketAddress remote, boolean outgoing, KrpcMessage message);

    /** A datagram that could not be read as KRPC, and why. */
    default void junk(InetSocketAddress remote, String problem) {
    }
}
