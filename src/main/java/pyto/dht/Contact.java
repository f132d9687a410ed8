package pyto.dht;

import java.net.InetSocketAddress;

/**
 * A node as others tell of it: its id and UDP address, BEP 5's "compact node info" (26 bytes
 * for IPv4: the id, then the address and port in network byte order). A value; any thread.
 */
public record Contact(NodeId id, InetSocketAddress address) {

    @Override
    public String toString() {
        return id.shortHex() + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
