package pyto.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/**
 * What the embedded tracker answers: {@code /announce} (BEP 3, compact peers of BEP 23 and
 * {@code peers6} of BEP 7) and {@code /scrape} (BEP 48), from a request target and the address
 * the request came from. Every problem with a request becomes a bencoded {@code failure reason}.
 *
 * <p>The peer's IP is always the connection's remote address. BEP 3's optional {@code ip}
 * parameter is ignored: honouring it would let anyone add any address to a swarm.
 *
 * <p>Called on each connection's virtual thread; its state is in the {@link SwarmRegistry}.
 */
final class TrackerEndpoints {

    static final int DEFAULT_NUMWANT = 50;
    static final int MAX_NUMWANT = 200;

    /** A request we refuse; its message becomes the failure reason. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }

    private final SwarmRegistry registry;
    private final Duration interval;
    private final Duration minInterval;

    TrackerEndpoints(SwarmRegistry registry, Duration interval, Duration minInterval) {
        this.registry = registry;
        this.interval = interval;
        this.minInterval = minInterval;
    }

    /** The bencoded reply to {@code head}, sent by {@code from}. */
    BDict answer(RequestHead head, InetAddress from) {
        try {
            QueryString query;
            try {
                query = QueryString.parse(head.rawQuery());
            } catch (IllegalArgumentException e) {
                throw new Refusal("malformed query string: " + e.getMessage());
            }
            return switch (head.path()) {
                case "/announce" -> announce(query, from);
                case "/scrape" -> scrape(query);
                default -> throw new Refusal("unknown path " + HttpReplyParser.printablePrefix(
                        head.path().getBytes(StandardCharsets.ISO_8859_1)) + ": this tracker serves /announce and /scrape");
            };
        } catch (Refusal e) {
            return failure(e.getMessage());
        }
    }

    static BDict failure(String reason) {
        return BDict.builder().put("failure reason", reason).build();
    }

    private BDict announce(QueryString query, InetAddress from) throws Refusal {
        InfoHash infoHash = new InfoHash(twentyBytes(query, "info_hash"));
        byte[] peerId = twentyBytes(query, "peer_id");
        int port = (int) number(query, "port", 1, 65535);
        number(query, "uploaded", 0, Long.MAX_VALUE); // checked, not kept: a demo tracker keeps no ratios
        number(query, "downloaded", 0, Long.MAX_VALUE);
        long left = number(query, "left", 0, Long.MAX_VALUE);
        Event event = event(query.text("event").orElse(""));
        int numWant = numWant(query.text("numwant"));
        boolean compact = !query.text("compact").orElse("1").equals("0");
        boolean noPeerId = query.text("no_peer_id").orElse("0").equals("1");

        SwarmRegistry.Peer peer = new SwarmRegistry.Peer(new InetSocketAddress(from, port), peerId, left == 0);
        SwarmRegistry.Answer answer = registry.announce(infoHash, peer, event, numWant)
                .orElseThrow(() -> new Refusal("tracker is full, try again later"));

        BDict.Builder reply = BDict.builder()
                .put("interval", interval.toSeconds())
                .put("min interval", minInterval.toSeconds())
                .put("complete", answer.counts().complete())
                .put("incomplete", answer.counts().incomplete());
        List<InetSocketAddress> addresses = answer.peers().stream().map(SwarmRegistry.Peer::address).toList();
        if (compact) {
            reply.put("peers", CompactPeers.encodeIpv4(addresses));
            byte[] ipv6 = CompactPeers.encodeIpv6(addresses);
            if (ipv6.length > 0) {
                reply.put("peers6", ipv6);
            }
        } else {
            List<BValue> list = new ArrayList<>();
            for (SwarmRegistry.Peer other : answer.peers()) {
                BDict.Builder entry = BDict.builder()
                        .put("ip", other.address().getAddress().getHostAddress())
                        .put("port", other.address().getPort());
                if (!noPeerId) {
                    entry.put("peer id", other.peerId());
                }
                list.add(entry.build());
            }
            reply.put("peers", new BList(list));
        }
        return reply.build();
    }

    // d5:filesd20:<hash>d8:completei1e10:downloadedi0e10:incompletei2eeee
    private BDict scrape(QueryString query) throws Refusal {
        Map<InfoHash, ScrapeResponse> counts = new LinkedHashMap<>();
        List<byte[]> requested = query.all("info_hash");
        if (requested.isEmpty()) {
            counts.putAll(registry.allCounts());
        }
        for (byte[] hash : requested) {
            if (hash.length != InfoHash.LENGTH) {
                throw new Refusal("info_hash must be 20 bytes, not " + hash.length);
            }
            InfoHash infoHash = new InfoHash(hash);
            counts.put(infoHash, registry.counts(infoHash));
        }
        Map<BString, BValue> files = new LinkedHashMap<>();
        counts.forEach((hash, c) -> files.put(new BString(hash.bytes()), BDict.builder()
                .put("complete", c.complete())
                .put("incomplete", c.incomplete())
                .put("downloaded", c.downloaded())
                .build()));
        return BDict.builder().put("files", new BDict(files)).build();
    }

    private static byte[] twentyBytes(QueryString query, String key) throws Refusal {
        byte[] value = query.bytes(key).orElseThrow(() -> new Refusal("missing " + key));
        if (value.length != 20) {
            throw new Refusal(key + " must be 20 bytes, not " + value.length);
        }
        return value;
    }

    private static long number(QueryString query, String key, long min, long max) throws Refusal {
        String text = query.text(key).orElseThrow(() -> new Refusal("missing " + key));
        if (!text.matches("\\d{1,19}")) {
            throw new Refusal(key + " is not a number");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Refusal(key + " is too large");
        }
        if (value < min || value > max) {
            throw new Refusal(key + " out of range: " + value);
        }
        return value;
    }

    private static Event event(String text) throws Refusal {
        return switch (text) {
            case "", "empty" -> Event.NONE; // "empty" is how some clients spell a regular announce
            case "started" -> Event.STARTED;
            case "completed" -> Event.COMPLETED;
            case "stopped" -> Event.STOPPED;
            default -> throw new Refusal("unknown event");
        };
    }

    /** BEP 3's numwant: default 50, at most 200; a negative value (BEP 15's -1) means the default. */
    private static int numWant(Optional<String> text) throws Refusal {
        if (text.isEmpty()) {
            return DEFAULT_NUMWANT;
        }
        if (!text.get().matches("-?\\d{1,9}")) {
            throw new Refusal("numwant is not a number");
        }
        int value = Integer.parseInt(text.get());
        return value < 0 ? DEFAULT_NUMWANT : Math.min(value, MAX_NUMWANT);
    }
}
