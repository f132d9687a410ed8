package pyto.dht;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The rules the DHT applies to IP addresses: which are "local" (loopback and private networks,
 * which BEP 42 exempts and where many nodes may share one IP), which may be contacted at all,
 * and the key under which a node's address counts as one (BEP 5's "one entry per IP").
 * Pure functions; any thread.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * Loopback, the private ranges of RFC 1918, link-local, and IPv6's unique local addresses:
     * the ranges BEP 42 exempts from id checks, because their owners cannot know a public IP.
     */
    static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        // fc00::/7, unique local IPv6 addresses (isSiteLocalAddress only knows the old fec0::/10)
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** Whether a packet may be sent to this address: a real unicast address and a port other than 0. */
    static boolean isUsable(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return ip != null && address.getPort() != 0
                && !ip.isAnyLocalAddress() && !ip.isMulticastAddress()
                && !(ip instanceof Inet4Address && (ip.getAddress()[0] & 0xff) == 255); // broadcast
    }

    /**
     * What makes two nodes "the same place": the IP alone on the Internet, where one host
     * should hold one entry in a routing table (a host running a thousand fake nodes gets one),
     * and the IP and port on loopback and private networks, where a test swarm or a LAN party
     * runs many nodes behind one address.
     */
    static Object key(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return ip != null && isLocal(ip) ? address : ip;
    }
}
