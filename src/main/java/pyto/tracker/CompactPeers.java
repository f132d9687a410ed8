package pyto.tracker;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact peer lists: each peer as its address bytes then a big-endian port. BEP 23 packs IPv4
 * peers in 6 bytes ({@code peers}), BEP 7 packs IPv6 peers in 18 ({@code peers6}). Used by the
 * HTTP client to read replies, by the embedded server to write them, and by the UDP client and
 * server (BEP 15), whose replies carry the same layout.
 */
final class CompactPeers {

    static final int IPV4_ENTRY = 6;
    static final int IPV6_ENTRY = 18;

    private CompactPeers() {
    }

    /** Decodes 6-byte IPv4 entries; a length that is not a multiple of 6 is an error. */
    static List<InetSocketAddress> decodeIpv4(byte[] packed) throws TrackerException {
        return decode(packed, 4, "peers");
    }

    /** Decodes 18-byte IPv6 entries; a length that is not a multiple of 18 is an error. */
    static List<InetSocketAddress> decodeIpv6(byte[] packed) throws TrackerException {
        return decode(packed, 16, "peers6");
    }

    // entry: <address, 4 or 16 bytes><port, 2 bytes big-endian>
    private static List<InetSocketAddress> decode(byte[] packed, int addressLength, String key)
            throws TrackerException {
        int entry = addressLength + 2;
        if (packed.length % entry != 0) {
            throw new TrackerException("compact " + key + " is " + packed.length
                    + " bytes long, not a multiple of " + entry);
        }
        List<InetSocketAddress> peers = new ArrayList<>(packed.length / entry);
        ByteBuffer buffer = ByteBuffer.wrap(packed);
        byte[] address = new byte[addressLength];
        while (buffer.hasRemaining()) {
            buffer.get(address);
            int port = Short.toUnsignedInt(buffer.getShort());
            if (port == 0) {
                continue; // nobody listens on port 0: a tracker's placeholder, not a peer
            }
            peers.add(new InetSocketAddress(byAddress(address), port));
        }
        return peers;
    }

    /** Packs the IPv4 peers of {@code peers} (IPv6 ones are skipped: they go in {@link #encodeIpv6}). */
    static byte[] encodeIpv4(List<InetSocketAddress> peers) {
        return encode(peers, Inet4Address.class);
    }

    /** Packs the IPv6 peers of {@code peers}. */
    static byte[] encodeIpv6(List<InetSocketAddress> peers) {
        return encode(peers, Inet6Address.class);
    }

    private static byte[] encode(List<InetSocketAddress> peers, Class<? extends InetAddress> family) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (InetSocketAddress peer : peers) {
            InetAddress address = peer.getAddress();
            if (family.isInstance(address)) {
                out.writeBytes(address.getAddress());
                out.write(peer.getPort() >> 8);
                out.write(peer.getPort() & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** Raw bytes to an address; never a name lookup. */
    static InetAddress byAddress(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
