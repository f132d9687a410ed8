package pyto.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.bencode.BencodeDecoder;
import pyto.bencode.BencodeException;
import pyto.metainfo.InfoHash;

/**
 * Reads the bencoded bodies of HTTP tracker replies: announces (BEP 3, with the compact peers of
 * BEP 23 and the {@code peers6} of BEP 7) and scrapes (BEP 48). Required fields missing or
 * malformed are a {@link TrackerException} saying which; optional ones that are malformed are
 * ignored, and so are single bad entries in a list of peers.
 */
final class HttpReplyParser {

    private HttpReplyParser() {
    }

    // d8:intervali1800e5:peers6:<6 bytes per peer>e, or d14:failure reason<text>e
    static AnnounceResponse announce(byte[] body) throws TrackerException {
        BDict reply = decode(body);
        long interval = reply.integer("interval")
                .orElseThrow(() -> new TrackerException("tracker reply has no interval"));
        if (interval < 0) {
            throw new TrackerException("tracker reply has a negative interval: " + interval);
        }
        List<InetSocketAddress> peers = new ArrayList<>(peers(reply));
        if (reply.get("peers6").isPresent()) {
            BString packed = reply.string("peers6")
                    .orElseThrow(() -> new TrackerException("peers6 is not a byte string"));
            peers.addAll(CompactPeers.decodeIpv6(packed.bytes()));
        }
        Set<InetSocketAddress> unique = new LinkedHashSet<>(peers);
        return new AnnounceResponse(
                Duration.ofSeconds(interval),
                reply.integer("min interval").filter(s -> s >= 0).map(Duration::ofSeconds),
                // ISO-8859-1 maps every byte to one char, so the id goes back exactly as it came
                reply.string("tracker id").map(id -> new String(id.bytes(), StandardCharsets.ISO_8859_1)),
                count(reply, "complete"),
                count(reply, "incomplete"),
                List.copyOf(unique),
                reply.string("warning message").map(BString::text),
                // BEP 24: our address as the tracker sees it, 4 or 16 bytes; anything else is ignored
                reply.string("external ip").map(BString::bytes).filter(b -> b.length == 4 || b.length == 16)
                        .map(CompactPeers::byAddress));
    }

    /** The numbers for {@code infoHash} in a scrape reply: d5:filesd20:<hash>d8:completei5e...eee */
    static ScrapeResponse scrape(byte[] body, InfoHash infoHash) throws TrackerException {
        BDict reply = decode(body);
        BDict files = reply.dict("files")
                .orElseThrow(() -> new TrackerException("scrape reply has no files dictionary"));
        BValue entry = files.entries().get(new BString(infoHash.bytes()));
        if (!(entry instanceof BDict stats)) {
            throw new TrackerException("scrape reply has no entry for " + infoHash);
        }
        return new ScrapeResponse(
                count(stats, "complete").orElse(0),
                count(stats, "incomplete").orElse(0),
                count(stats, "downloaded").orElse(0));
    }

    /** The reply as a dictionary, or the tracker's failure reason as an exception. */
    private static BDict decode(byte[] body) throws TrackerException {
        BDict reply;
        try {
            reply = BencodeDecoder.decodeDict(body);
        } catch (BencodeException e) {
            throw new TrackerException("tracker reply is not bencoded: " + printablePrefix(body), e);
        }
        Optional<BString> failure = reply.string("failure reason");
        if (failure.isPresent()) {
            throw new TrackerException(failure.get().text());
        }
        return reply;
    }

    private static List<InetSocketAddress> peers(BDict reply) throws TrackerException {
        Optional<BValue> peers = reply.get("peers");
        if (peers.isEmpty()) {
            return List.of(); // a tracker may send only peers6, or nobody at all
        }
        return switch (peers.get()) {
            case BString packed -> CompactPeers.decodeIpv4(packed.bytes());
            case BList list -> dictionaryPeers(list);
            case BInteger n -> throw new TrackerException("peers is a number, not a compact string or a list");
            case BDict d -> throw new TrackerException("peers is a dictionary, not a compact string or a list");
        };
    }

    // the original form: l d2:ip9:10.0.0.74:porti6881e7:peer id20:...e ... e
    private static List<InetSocketAddress> dictionaryPeers(BList list) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (BValue value : list.values()) {
            if (value instanceof BDict peer) {
                Optional<InetAddress> ip = peer.string("ip").map(BString::text).flatMap(IpLiteral::parse);
                Optional<Long> port = peer.integer("port").filter(p -> p > 0 && p <= 65535);
                if (ip.isPresent() && port.isPresent()) {
                    peers.add(new InetSocketAddress(ip.get(), port.get().intValue()));
                }
            }
        }
        return peers;
    }

    private static OptionalInt count(BDict dict, String key) {
        return dict.integer(key)
                .filter(n -> n >= 0)
                .map(n -> OptionalInt.of((int) Math.min(n, Integer.MAX_VALUE)))
                .orElse(OptionalInt.empty());
    }

    /**
     * The start of a reply we cannot read, fit for an error message: an HTML error page or a
     * captive portal shows up as "<html><head><title>502 Bad Gateway...".
     */
    static String printablePrefix(byte[] bytes) {
        int max = 60;
        String text = new String(bytes, 0, Math.min(bytes.length, max * 4), StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        if (out.isEmpty()) {
            return bytes.length == 0 ? "(empty)" : "(" + bytes.length + " blank bytes)";
        }
        return out.length() >= max ? out + "..." : out.toString();
    }
}
