package pyto.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import pyto.metainfo.InfoHash;
import pyto.wire.PeerMessage.AllowedFast;

/**
 * The canonical allowed-fast set of BEP 6: the pieces a peer may request from us while we
 * choke it, sent to it as {@link AllowedFast} messages. It depends only on the peer's address
 * (its /24 network) and the torrent, so a peer that reconnects, or comes back from another
 * address of the same network, gets the same pieces and cannot collect more.
 *
 * <pre>
 * x = (ip &amp; 0xFFFFFF00) as 4 bytes, then the info hash
 * while fewer than k pieces: x = SHA1(x); each of its five 4-byte words y gives y % pieceCount
 * </pre>
 *
 * <p>A pure function; any thread.
 */
public final class AllowedFastSet {

    /** The set size BEP 6 suggests. */
    public static final int DEFAULT_SIZE = 10;

    private AllowedFastSet() {
    }

    /**
     * The first {@code k} pieces of the set, in the order the algorithm finds them (fewer
     * when the torrent has fewer than {@code k} pieces). Empty for an IPv6 peer: BEP 6
     * defines the set for IPv4 addresses only.
     */
    public static List<Integer> of(InetAddress peer, InfoHash infoHash, int pieceCount, int k) {
        if (pieceCount <= 0 || k < 0) {
            throw new IllegalArgumentException("allowed fast set of " + k + " of " + pieceCount + " pieces");
        }
        if (!(peer instanceof Inet4Address)) {
            return List.of();
        }
        int wanted = Math.min(k, pieceCount);                 // else the loop would never end
        byte[] ip = peer.getAddress();
        ip[3] = 0;                                            // ip & 0xFFFFFF00: one set per /24
        byte[] x = ByteBuffer.allocate(4 + InfoHash.LENGTH).put(ip).put(infoHash.bytes()).array();
        MessageDigest sha1 = sha1();
        List<Integer> set = new ArrayList<>(wanted);
        while (set.size() < wanted) {
            x = sha1.digest(x);
            ByteBuffer words = ByteBuffer.wrap(x);
            for (int i = 0; i < 5 && set.size() < wanted; i++) {
                int index = (int) (Integer.toUnsignedLong(words.getInt()) % pieceCount);
                if (!set.contains(index)) {
                    set.add(index);
                }
            }
        }
        return List.copyOf(set);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }
}
