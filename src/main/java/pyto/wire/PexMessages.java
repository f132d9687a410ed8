package pyto.wire;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import pyto.bencode.BDict;
import pyto.bencode.BString;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.PeerExchange.PexPeer;

/**
 * The payload of ut_pex (BEP 11): one bencoded dictionary of compact peer lists,
 * <pre>
 * added    &lt;6 bytes per IPv4 peer: address, port&gt;      added.f   &lt;1 flag byte per peer&gt;
 * added6   &lt;18 bytes per IPv6 peer: address, port&gt;     added6.f  &lt;1 flag byte per peer&gt;
 * dropped  &lt;6 bytes per IPv4 peer&gt;                     dropped6  &lt;18 bytes per IPv6 peer&gt;
 * </pre>
 *
 * <p>Reading: a missing key (or one that is not a byte string) is an empty list; a missing or
 * short flags string gives the peers it does not cover flags 0; an entry with port 0 is
 * skipped, since nobody can dial it. A list whose length is not a whole number of entries, or
 * more than {@value PeerExchange#MAX_PEERS} added or dropped peers (IPv4 and IPv6 together),
 * is refused before any address is built. Stateless.
 */
final class PexMessages {

    private static final int V4 = 6;
    private static final int V6 = 18;

    private PexMessages() {
    }

    static PeerExchange decode(byte[] payload) throws ProtocolException {
        BDict dict = ExtensionCodec.dictionary("ut_pex message", payload);
        byte[] added = bytes(dict, "added", V4);
        byte[] added6 = bytes(dict, "added6", V6);
        byte[] dropped = bytes(dict, "dropped", V4);
        byte[] dropped6 = bytes(dict, "dropped6", V6);
        checkCount("adds", added.length / V4 + added6.length / V6);
        checkCount("drops", dropped.length / V4 + dropped6.length / V6);

        List<PexPeer> addedPeers = new ArrayList<>();
        addPeers(addedPeers, added, V4, dict.string("added.f").map(BString::bytes).orElse(new byte[0]));
        addPeers(addedPeers, added6, V6, dict.string("added6.f").map(BString::bytes).orElse(new byte[0]));
        List<InetSocketAddress> droppedPeers = new ArrayList<>();
        addAddresses(droppedPeers, dropped, V4);
        addAddresses(droppedPeers, dropped6, V6);
        return new PeerExchange(addedPeers, droppedPeers);
    }

    /** All six keys, empty ones too, as libtorrent writes them: a reader that insists on a key finds it. */
    static byte[] encode(PeerExchange pex) {
        ByteArrayOutputStream added = new ByteArrayOutputStream();
        ByteArrayOutputStream addedFlags = new ByteArrayOutputStream();
        ByteArrayOutputStream added6 = new ByteArrayOutputStream();
        ByteArrayOutputStream added6Flags = new ByteArrayOutputStream();
        for (PexPeer peer : pex.added()) {
            boolean v4 = peer.address().getAddress() instanceof Inet4Address;
            (v4 ? added : added6).writeBytes(compact(peer.address()));
            (v4 ? addedFlags : added6Flags).write(peer.flags());
        }
        ByteArrayOutputStream dropped = new ByteArrayOutputStream();
        ByteArrayOutputStream dropped6 = new ByteArrayOutputStream();
        for (InetSocketAddress address : pex.dropped()) {
            (address.getAddress() instanceof Inet4Address ? dropped : dropped6).writeBytes(compact(address));
        }
        return BDict.builder()
                .put("added", added.toByteArray()).put("added.f", addedFlags.toByteArray())
                .put("added6", added6.toByteArray()).put("added6.f", added6Flags.toByteArray())
                .put("dropped", dropped.toByteArray()).put("dropped6", dropped6.toByteArray())
                .build().encode();
    }

    private static byte[] bytes(BDict dict, String key, int entry) throws ProtocolException {
        byte[] bytes = dict.string(key).map(BString::bytes).orElse(new byte[0]);
        if (bytes.length % entry != 0) {
            throw new ProtocolException("ut_pex " + key + " of " + bytes.length
                    + " bytes is not a list of " + entry + "-byte entries");
        }
        return bytes;
    }

    private static void checkCount(String what, int count) throws ProtocolException {
        if (count > PeerExchange.MAX_PEERS) {
            throw new ProtocolException("ut_pex message " + what + " " + count + " peers, more than the limit of "
                    + PeerExchange.MAX_PEERS);
        }
    }

    private static void addPeers(List<PexPeer> peers, byte[] compact, int entry, byte[] flags) {
        for (int i = 0; i < compact.length / entry; i++) {
            InetSocketAddress address = address(compact, i * entry, entry);
            if (address.getPort() != 0) {
                peers.add(new PexPeer(address, i < flags.length ? flags[i] & 0xff : 0));
            }
        }
    }

    private static void addAddresses(List<InetSocketAddress> addresses, byte[] compact, int entry) {
        for (int i = 0; i < compact.length / entry; i++) {
            InetSocketAddress address = address(compact, i * entry, entry);
            if (address.getPort() != 0) {
                addresses.add(address);
            }
        }
    }

    /** A compact entry: the address's 4 or 16 bytes, then the port, big-endian. */
    private static InetSocketAddress address(byte[] compact, int offset, int entry) {
        ByteBuffer buffer = ByteBuffer.wrap(compact, offset, entry);
        byte[] ip = new byte[entry - 2];
        buffer.get(ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(buffer.getShort()));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an address", e);
        }
    }

    private static byte[] compact(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) address.getPort()).array();
    }
}
