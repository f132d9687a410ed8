package pyto.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;
import pyto.metainfo.InfoHash;

/**
 * A node's 160-bit identifier (BEP 5), drawn from the same space as info hashes. Kademlia's
 * distance between two ids is their XOR read as an unsigned number: the more leading bits two
 * ids share, the closer they are, which turns the id space into a binary tree that the
 * routing table and lookups walk down.
 *
 * <p>BEP 42 ties an id to its owner's IP: the first 21 bits are a CRC32-C of the IP's masked
 * bits and of three random bits kept in the last byte, so a host cannot pick ids at will to
 * surround an info hash. {@link #secure} makes such an id, {@link #isSecureFor} checks one.
 * Loopback and private addresses are exempt. A value; any thread.
 */
public record NodeId(byte[] bytes) {

    public static final int LENGTH = 20;
    public static final int BITS = 8 * LENGTH;

    public NodeId {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id is 20 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static NodeId random(Random random) {
        byte[] id = new byte[LENGTH];
        random.nextBytes(id);
        return new NodeId(id);
    }

    /** The info hash as a point in the id space: get_peers looks for the nodes closest to it. */
    public static NodeId of(InfoHash infoHash) {
        return new NodeId(infoHash.bytes());
    }

    public static NodeId fromHex(String hex) {
        return new NodeId(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bit at {@code index}, counted from the most significant bit of the first byte. */
    boolean bit(int index) {
        return (bytes[index >> 3] & (0x80 >> (index & 7))) != 0;
    }

    /** How many leading bits this id shares with {@code other} (160 when they are equal). */
    public int sharedPrefixBits(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return 8 * i + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative when {@code a} is closer to this id than {@code b}, by the XOR metric. */
    int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return da < db ? -1 : 1;
            }
        }
        return 0;
    }

    /** Orders ids from the closest to this one to the farthest. */
    public Comparator<NodeId> byDistance() {
        return this::compareDistance;
    }

    /**
     * A random id that shares exactly {@code shared} leading bits with this one (and differs in
     * the next): a target inside one bucket of our routing table, to refresh it. With 160 it is
     * this id itself.
     */
    NodeId randomWithPrefix(int shared, Random random) {
        if (shared >= BITS) {
            return this;
        }
        byte[] id = new byte[LENGTH];
        random.nextBytes(id);
        for (int i = 0; i < shared; i++) {
            setBit(id, i, bit(i));
        }
        setBit(id, shared, !bit(shared));
        return new NodeId(id);
    }

    private static void setBit(byte[] id, int index, boolean value) {
        int mask = 0x80 >> (index & 7);
        id[index >> 3] = (byte) (value ? id[index >> 3] | mask : id[index >> 3] & ~mask);
    }

    // ---- BEP 42 ------------------------------------------------------------------------------

    /** A BEP 42 id for a node whose public address is {@code ip}; the rest of it is random. */
    public static NodeId secure(InetAddress ip, Random random) {
        int rand = random.nextInt(256);
        long crc = bep42Crc(ip, rand & 7);
        byte[] id = new byte[LENGTH];
        random.nextBytes(id);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x07));
        id[19] = (byte) rand;
        return new NodeId(id);
    }

    /**
     * Whether a node at {@code ip} may use this id: its first 21 bits are the CRC of BEP 42.
     * Local addresses always may (BEP 42 exempts them: such nodes cannot know their public IP).
     */
    public boolean isSecureFor(InetAddress ip) {
        if (Addresses.isLocal(ip)) {
            return true;
        }
        long crc = bep42Crc(ip, bytes[19] & 7);
        return bytes[0] == (byte) (crc >>> 24)
                && bytes[1] == (byte) (crc >>> 16)
                && ((bytes[2] ^ (crc >>> 8)) & 0xf8) == 0;
    }

    // crc32c((ip & 0x030f3fff) | (r << 29)) for IPv4; for IPv6 the first 8 bytes masked by
    // 01 03 07 0f 1f 3f 7f ff, with r in the top 3 bits of the first byte
    private static long bep42Crc(InetAddress ip, int r) {
        byte[] masked;
        if (ip instanceof Inet4Address) {
            masked = ip.getAddress();
            byte[] mask = {0x03, 0x0f, 0x3f, (byte) 0xff};
            for (int i = 0; i < 4; i++) {
                masked[i] &= mask[i];
            }
        } else {
            masked = Arrays.copyOf(ip.getAddress(), 8);
            byte[] mask = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};
            for (int i = 0; i < 8; i++) {
                masked[i] &= mask[i];
            }
        }
        masked[0] |= (byte) (r << 5);
        CRC32C crc = new CRC32C();
        crc.update(masked);
        return crc.getValue();
    }

    // ---- text --------------------------------------------------------------------------------

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first 8 hex digits, enough to tell nodes apart in a trace. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
