package pyto.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BEP 5's compact encodings: "compact IP-address/port info" (6 bytes for IPv4, 18 for IPv6:
 * the address, then the port, in network byte order) and "compact node info" (the 20-byte id,
 * then the compact address: 26 bytes). This node speaks IPv4 (BEP 5); IPv6 contacts, which
 * BEP 32 carries in separate keys, are left out. Pure functions; any thread.
 */
final class CompactInfo {

    static final int IPV4_ADDRESS = 6;
    static final int IPV6_ADDRESS = 18;
    static final int IPV4_NODE = NodeId.LENGTH + IPV4_ADDRESS;

    private CompactInfo() {
    }

    /** Reads "compact node info" entries; the length must be a multiple of 26. */
    static List<Contact> nodes(byte[] compact) throws KrpcException {
        if (compact.length % IPV4_NODE != 0) {
            throw new KrpcException("compact node info of " + compact.length + " bytes, not a multiple of 26");
        }
        List<Contact> contacts = new ArrayList<>(compact.length / IPV4_NODE);
        for (int at = 0; at < compact.length; at += IPV4_NODE) {
            NodeId id = new NodeId(Arrays.copyOfRange(compact, at, at + NodeId.LENGTH));
            contacts.add(new Contact(id, address(compact, at + NodeId.LENGTH, IPV4_ADDRESS)));
        }
        return contacts;
    }

    /** Writes the IPv4 contacts as "compact node info"; others are skipped. */
    static byte[] nodes(List<Contact> contacts) {
        ByteBuffer out = ByteBuffer.allocate(contacts.size() * IPV4_NODE);
        for (Contact c : contacts) {
            if (c.address().getAddress() instanceof Inet4Address) {
                out.put(c.id().bytes()).put(address(c.address()));
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Reads one compact address of 6 (IPv4) or 18 (IPv6) bytes. */
    static InetSocketAddress address(byte[] compact) throws KrpcException {
        if (compact.length != IPV4_ADDRESS && compact.length != IPV6_ADDRESS) {
            throw new KrpcException("a compact address is 6 or 18 bytes, not " + compact.length);
        }
        return address(compact, 0, compact.length);
    }

    /** The compact form of an address: 4 or 16 bytes of IP, then 2 of port. */
    static byte[] address(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) address.getPort()).array();
    }

    private static InetSocketAddress address(byte[] bytes, int at, int length) {
        try {
            InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(bytes, at, at + length - 2));
            int port = ((bytes[at + length - 2] & 0xff) << 8) | (bytes[at + length - 1] & 0xff);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
