package pyto.dht;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.function.Consumer;

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

    /**
     * A trace that hands each event to {@code out} as one line, e.g.
     * {@code dht 127.0.0.1:6881 -> t=0a1b find_node 3f2a9c01 from 9b00e1d2}.
     */
    static DhtTrace lines(Consumer<String> out) {
        return new DhtTrace() {
            @Override
            public void message(InetSocketAddress remote, boolean outgoing, KrpcMessage message) {
                out.accept("dht " + remote.getAddress().getHostAddress() + ":" + remote.getPort()
                        + (outgoing ? " -> " : " <- ") + "t=" + HexFormat.of().formatHex(message.tid().bytes()) + " " + message);
            }

            @Override
            public void junk(InetSocketAddress remote, String problem) {
                out.accept("dht " + remote.getAddress().getHostAddress() + ":" + remote.getPort() + " <- junk: " + problem);
            }
        };
    }
}
