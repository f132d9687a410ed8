package pyto.tracker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * The packets of the UDP tracker protocol (BEP 15), every layout in one place for both sides:
 * {@link UdpTracker} writes the requests and reads the replies, {@link UdpEndpoints} the other
 * way round. All numbers are big-endian, as {@link ByteBuffer} writes them by default.
 *
 * <p>A request starts with the 16-byte header {@code <connection id 8><action 4><transaction id 4>},
 * a reply with {@code <action 4><transaction id 4>}. Pure functions, called on any thread.
 */
final class UdpPackets {

    /** The connection id of a connect request: it says "this is BEP 15", not "who I am". */
    static final long PROTOCOL_ID = 0x41727101980L;

    static final int CONNECT = 0;
    static final int ANNOUNCE = 1;
    static final int SCRAPE = 2;
    static final int ERROR = 3;

    static final int REQUEST_HEADER = 16;
    static final int REPLY_HEADER = 8;
    static final int CONNECT_REPLY = REPLY_HEADER + 8;
    static final int ANNOUNCE_REQUEST = 98;
    static final int ANNOUNCE_REPLY_HEADER = REPLY_HEADER + 12;
    static final int SCRAPE_ENTRY = 12;
    /** BEP 15: "up to about 74 torrents can be scraped at once", so that the request fits a 1500-byte packet. */
    static final int MAX_SCRAPE_HASHES = 74;

    private UdpPackets() {
    }

    // connect: <connection id = PROTOCOL_ID 8><action = 0 4><transaction id 4>
    static byte[] connectRequest(int transactionId) {
        return ByteBuffer.allocate(REQUEST_HEADER).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).array();
    }

    // announce: <header 16><info_hash 20><peer_id 20><downloaded 8><left 8><uploaded 8>
    //           <event 4><ip 4><key 4><num_want 4><port 2>
    static byte[] announceRequest(long connectionId, int transactionId, AnnounceRequest request) {
        return ByteBuffer.allocate(ANNOUNCE_REQUEST)
                .putLong(connectionId).putInt(ANNOUNCE).putInt(transactionId)
                .put(request.infoHash().bytes())
                .put(request.peerId())
                .putLong(request.downloaded())
                .putLong(request.left())
                .putLong(request.uploaded())
                .putInt(eventCode(request.event()))
                .putInt(0) // ip: 0 means "the address this packet came from", the only one we would honour
                .putInt(request.key())
                .putInt(request.numWant() < 0 ? -1 : request.numWant())
                .putShort((short) request.port())
                .array();
    }

    // scrape: <header 16> then <info_hash 20> per torrent
    static byte[] scrapeRequest(long connectionId, int transactionId, List<InfoHash> hashes) {
        ByteBuffer packet = ByteBuffer.allocate(REQUEST_HEADER + InfoHash.LENGTH * hashes.size())
                .putLong(connectionId).putInt(SCRAPE).putInt(transactionId);
        hashes.forEach(hash -> packet.put(hash.bytes()));
        return packet.array();
    }

    // connect reply: <action = 0 4><transaction id 4><connection id 8>
    static byte[] connectReply(int transactionId, long connectionId) {
        return ByteBuffer.allocate(CONNECT_REPLY).putInt(CONNECT).putInt(transactionId).putLong(connectionId).array();
    }

    // announce reply: <action = 1 4><transaction id 4><interval 4><leechers 4><seeders 4>
    //                 then peers, 6 bytes each (IPv4) or 18 (IPv6), as in CompactPeers
    static byte[] announceReply(int transactionId, int intervalSeconds, ScrapeResponse counts, byte[] compactPeers) {
        return ByteBuffer.allocate(ANNOUNCE_REPLY_HEADER + compactPeers.length)
                .putInt(ANNOUNCE).putInt(transactionId)
                .putInt(intervalSeconds).putInt(counts.incomplete()).putInt(counts.complete())
                .put(compactPeers)
                .array();
    }

    // scrape reply: <action = 2 4><transaction id 4> then <seeders 4><completed 4><leechers 4> per torrent
    static byte[] scrapeReply(int transactionId, List<ScrapeResponse> counts) {
        ByteBuffer packet = ByteBuffer.allocate(REPLY_HEADER + SCRAPE_ENTRY * counts.size())
                .putInt(SCRAPE).putInt(transactionId);
        counts.forEach(c -> packet.putInt(c.complete()).putInt(c.downloaded()).putInt(c.incomplete()));
        return packet.array();
    }

    // error: <action = 3 4><transaction id 4><message, to the end of the packet>
    static byte[] errorReply(int transactionId, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(REPLY_HEADER + text.length).putInt(ERROR).putInt(transactionId).put(text).array();
    }

    /** BEP 15 numbers its events differently from the order BEP 3 lists them in. */
    static int eventCode(Event event) {
        return switch (event) {
            case NONE -> 0;
            case COMPLETED -> 1;
            case STARTED -> 2;
            case STOPPED -> 3;
        };
    }

    static Optional<Event> event(int code) {
        return switch (code) {
            case 0 -> Optional.of(Event.NONE);
            case 1 -> Optional.of(Event.COMPLETED);
            case 2 -> Optional.of(Event.STARTED);
            case 3 -> Optional.of(Event.STOPPED);
            default -> Optional.empty();
        };
    }
}
