package pyto.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * What the embedded tracker answers over UDP (BEP 15): connect, announce and scrape, from one
 * datagram and the address it came from. The UDP sibling of {@link TrackerEndpoints}, on the
 * same {@link SwarmRegistry}, so HTTP and UDP peers of a torrent meet.
 *
 * <p>A datagram too short to hold a transaction id (16 bytes) is not answered: there is nothing
 * the sender could match an answer to. Every other problem gets an error packet. Announces and
 * scrapes must carry a connection id issued to their source address ({@link ConnectionIds});
 * that is checked before anything else, so a sender that forges its address learns nothing
 * and changes nothing. As in HTTP, the announced IP field is ignored: a peer is where its
 * packet came from.
 *
 * <p>Called on the UDP server's loop thread; its state is in the registry and the ids.
 */
final class UdpEndpoints {

    /**
     * Answers stay at most this long, so that they cross a 1500-byte path unfragmented (with
     * 40 bytes of IPv6 and 8 of UDP header): 200 IPv4 peers fit, but only 76 IPv6 ones.
     */
    static final int MAX_REPLY = 1400;

    /** A request we refuse; its message goes back in an error packet. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }

    private final SwarmRegistry registry;
    private final ConnectionIds connectionIds;
    private final int intervalSeconds;

    UdpEndpoints(SwarmRegistry registry, ConnectionIds connectionIds, Duration interval) {
        this.registry = registry;
        this.connectionIds = connectionIds;
        this.intervalSeconds = (int) Math.min(interval.toSeconds(), Integer.MAX_VALUE);
    }

    /** The answer to {@code packet} from {@code source}, or empty when it deserves none. */
    Optional<byte[]> answer(ByteBuffer packet, InetSocketAddress source) {
        if (packet.remaining() < UdpPackets.REQUEST_HEADER) {
            return Optional.empty();
        }
        long connectionId = packet.getLong();
        int action = packet.getInt();
        int transactionId = packet.getInt();
        try {
            return Optional.of(switch (action) {
                case UdpPackets.CONNECT -> connect(connectionId, transactionId, source.getAddress());
                case UdpPackets.ANNOUNCE -> {
                    checkConnection(connectionId, source);
                    yield announce(packet, transactionId, source);
                }
                case UdpPackets.SCRAPE -> {
                    checkConnection(connectionId, source);
                    yield scrape(packet, transactionId);
                }
                default -> throw new Refusal("unknown action " + action);
            });
        } catch (Refusal e) {
            return Optional.of(UdpPackets.errorReply(transactionId, e.getMessage()));
        }
    }

    private byte[] connect(long protocolId, int transactionId, InetAddress source) throws Refusal {
        if (protocolId != UdpPackets.PROTOCOL_ID) {
            throw new Refusal("a connect carries the protocol id 0x41727101980");
        }
        return UdpPackets.connectReply(transactionId, connectionIds.issue(source));
    }

    private void checkConnection(long connectionId, InetSocketAddress source) throws Refusal {
        if (!connectionIds.accepts(connectionId, source.getAddress())) {
            throw new Refusal("unknown or expired connection id"); // clients take "connection" as: connect again
        }
    }

    // after the header: <info_hash 20><peer_id 20><downloaded 8><left 8><uploaded 8>
    //                  <event 4><ip 4><key 4><num_want 4><port 2>
    private byte[] announce(ByteBuffer packet, int transactionId, InetSocketAddress source) throws Refusal {
        int length = packet.remaining() + UdpPackets.REQUEST_HEADER;
        if (length < UdpPackets.ANNOUNCE_REQUEST) {
            throw new Refusal("an announce is 98 bytes, not " + length);
        }
        InfoHash infoHash = new InfoHash(bytes(packet, InfoHash.LENGTH));
        byte[] peerId = bytes(packet, AnnounceRequest.PEER_ID_LENGTH);
        long downloaded = packet.getLong();
        long left = packet.getLong();
        long uploaded = packet.getLong();
        int eventCode = packet.getInt();
        packet.getInt(); // ip: ignored, see the class comment
        packet.getInt(); // key: we know peers by address and port, as the registry explains
        int numWant = packet.getInt();
        int port = Short.toUnsignedInt(packet.getShort());
        // anything after this is BEP 41 options, which we do not use
        if (downloaded < 0 || left < 0 || uploaded < 0) {
            throw new Refusal("negative byte counts");
        }
        if (port == 0) {
            throw new Refusal("port 0");
        }
        Event event = UdpPackets.event(eventCode).orElseThrow(() -> new Refusal("unknown event " + eventCode));

        boolean ipv6 = source.getAddress() instanceof Inet6Address;
        int entry = ipv6 ? CompactPeers.IPV6_ENTRY : CompactPeers.IPV4_ENTRY;
        int fits = (MAX_REPLY - UdpPackets.ANNOUNCE_REPLY_HEADER) / entry;
        int asked = numWant < 0 ? TrackerEndpoints.DEFAULT_NUMWANT : Math.min(numWant, TrackerEndpoints.MAX_NUMWANT);
        int wanted = Math.min(asked, fits);

        var peer = new SwarmRegistry.Peer(new InetSocketAddress(source.getAddress(), port), peerId, left == 0);
        // BEP 15 has one peer format per answer: the family the request came over
        SwarmRegistry.Answer answer = registry
                .announce(infoHash, peer, event, wanted, other -> other.getAddress() instanceof Inet6Address == ipv6)
                .orElseThrow(() -> new Refusal("tracker is full, try again later"));
        List<InetSocketAddress> addresses = answer.peers().stream().map(SwarmRegistry.Peer::address).toList();
        byte[] peers = ipv6 ? CompactPeers.encodeIpv6(addresses) : CompactPeers.encodeIpv4(addresses);
        return UdpPackets.announceReply(transactionId, intervalSeconds, answer.counts(), peers);
    }

    // after the header: <info_hash 20> per torrent
    private byte[] scrape(ByteBuffer packet, int transactionId) throws Refusal {
        if (packet.remaining() == 0 || packet.remaining() % InfoHash.LENGTH != 0) {
            throw new Refusal("a scrape carries info hashes of 20 bytes, not " + packet.remaining() + " bytes");
        }
        int count = packet.remaining() / InfoHash.LENGTH;
        if (count > UdpPackets.MAX_SCRAPE_HASHES) {
            throw new Refusal("at most " + UdpPackets.MAX_SCRAPE_HASHES + " info hashes per scrape");
        }
        List<ScrapeResponse> counts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            counts.add(registry.counts(new InfoHash(bytes(packet, InfoHash.LENGTH))));
        }
        return UdpPackets.scrapeReply(transactionId, counts);
    }

    private static byte[] bytes(ByteBuffer packet, int length) {
        byte[] bytes = new byte[length];
        packet.get(bytes);
        return bytes;
    }
}
