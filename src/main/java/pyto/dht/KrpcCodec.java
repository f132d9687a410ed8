package pyto.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.bencode.BencodeDecoder;
import pyto.bencode.BencodeException;
import pyto.dht.KrpcMessage.AnnouncePeer;
import pyto.dht.KrpcMessage.Error;
import pyto.dht.KrpcMessage.FindNode;
import pyto.dht.KrpcMessage.GetPeers;
import pyto.dht.KrpcMessage.Ping;
import pyto.dht.KrpcMessage.Query;
import pyto.dht.KrpcMessage.Response;
import pyto.dht.KrpcMessage.SampleInfohashes;
import pyto.metainfo.InfoHash;

/**
 * KRPC messages to bytes and back (BEP 5, with BEP 42's "ip" and BEP 51's sample keys).
 *
 * <p>Decoding is strict about what it uses and bounded: a datagram over {@value #MAX_PACKET}
 * bytes, a transaction id over {@value #MAX_TID} bytes, an id that is not 20 bytes, a compact
 * node list whose length is not a multiple of 26, a key of the wrong type: each is a
 * {@link KrpcException}, never anything else. Keys it does not know are ignored, as BEP 5 asks,
 * so that newer extensions pass through. Pure functions; any thread.
 */
public final class KrpcCodec {

    /** No KRPC message we answer or ask for comes near this; a longer datagram is junk. */
    public static final int MAX_PACKET = 2048;
    /** Transaction ids are echoed in replies: a long one would make us amplify traffic. */
    static final int MAX_TID = 16;
    static final int MAX_TOKEN = 64;
    private static final int MAX_ERROR_TEXT = 256;

    /** BEP 5's "v": a BEP 20 client code and two bytes of version: "PY", 0.1. */
    static final BString VERSION = new BString(new byte[] {'P', 'Y', 0, 1});

    private KrpcCodec() {
    }

    public static byte[] encode(KrpcMessage message) {
        return encode(message, Optional.of(VERSION));
    }

    /** Encodes with or without the "v" key (BEP 5's examples have none). */
    static byte[] encode(KrpcMessage message, Optional<BString> version) {
        BDict.Builder top = BDict.builder().put("t", message.tid());
        version.ifPresent(v -> top.put("v", v));
        switch (message) {
            case Query q -> top.put("y", "q").put("q", q.method()).put("a", arguments(q));
            case Response r -> {
                top.put("y", "r").put("r", body(r));
                r.requester().ifPresent(ip -> top.put("ip", CompactInfo.address(ip)));
            }
            case Error e -> top.put("y", "e").put("e", BList.of(new BInteger(e.code()), BString.of(e.message())));
        }
        return top.build().encode();
    }

    private static BDict arguments(Query query) {
        BDict.Builder a = BDict.builder().put("id", query.sender().bytes());
        switch (query) {
            case Ping p -> { }
            case FindNode f -> a.put("target", f.target().bytes());
            case GetPeers g -> a.put("info_hash", g.infoHash().bytes());
            case AnnouncePeer an -> {
                a.put("info_hash", an.infoHash().bytes()).put("port", an.port()).put("token", an.token());
                if (an.impliedPort()) {
                    a.put("implied_port", 1);
                }
            }
            case SampleInfohashes s -> a.put("target", s.target().bytes());
        }
        return a.build();
    }

    private static BDict body(Response r) {
        BDict.Builder b = BDict.builder().put("id", r.sender().bytes());
        // an answer to get_peers or sample_infohashes has "values" or "nodes", even if empty
        if (!r.nodes().isEmpty() || (r.values().isEmpty() && (r.token().isPresent() || r.num().isPresent()))) {
            b.put("nodes", CompactInfo.nodes(r.nodes()));
        }
        if (!r.values().isEmpty()) {
            b.put("values", new BList(r.values().stream().<BValue>map(p -> new BString(CompactInfo.address(p))).toList()));
        }
        r.token().ifPresent(t -> b.put("token", t));
        if (r.num().isPresent()) {
            byte[] samples = new byte[r.samples().size() * InfoHash.LENGTH];
            for (int i = 0; i < r.samples().size(); i++) {
                System.arraycopy(r.samples().get(i).bytes(), 0, samples, i * InfoHash.LENGTH, InfoHash.LENGTH);
            }
            b.put("samples", samples).put("num", r.num().getAsLong()).put("interval", r.interval().orElse(0));
        }
        return b.build();
    }

    /** Decodes one datagram's payload. */
    public static KrpcMessage decode(byte[] packet) throws KrpcException {
        if (packet.length > MAX_PACKET) {
            throw new KrpcException("a datagram of " + packet.length + " bytes, over " + MAX_PACKET);
        }
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(packet);
        } catch (BencodeException e) {
            throw new KrpcException("not a bencoded dictionary: " + e.getMessage());
        }
        BString tid = dict.string("t").orElseThrow(() -> new KrpcException("no transaction id 't'"));
        if (tid.length() > MAX_TID) {
            throw new KrpcException("a transaction id of " + tid.length() + " bytes");
        }
        String type = dict.string("y").map(BString::text).orElse("");
        try {
            return switch (type) {
                case "q" -> query(dict, tid);
                case "r" -> response(dict, tid);
                case "e" -> error(dict, tid);
                default -> throw new KrpcException("message type 'y' is not q, r or e");
            };
        } catch (KrpcException e) {
            throw e.in(tid, type.equals("q"));
        }
    }

    private static Query query(BDict dict, BString tid) throws KrpcException {
        String method = string(dict, "q").text();
        if (!List.of("ping", "find_node", "get_peers", "announce_peer", "sample_infohashes").contains(method)) {
            throw new KrpcException("unknown method", Error.METHOD_UNKNOWN, Optional.empty(), true);
        }
        BDict a = dict.dict("a").orElseThrow(() -> new KrpcException("no arguments 'a'"));
        NodeId sender = id(a, "id");
        return switch (method) {
            case "ping" -> new Ping(tid, sender);
            case "find_node" -> new FindNode(tid, sender, id(a, "target"));
            case "get_peers" -> new GetPeers(tid, sender, new InfoHash(id(a, "info_hash").bytes()));
            case "sample_infohashes" -> new SampleInfohashes(tid, sender, id(a, "target"));
            default -> announce(a, tid, sender);
        };
    }

    private static AnnouncePeer announce(BDict a, BString tid, NodeId sender) throws KrpcException {
        InfoHash infoHash = new InfoHash(id(a, "info_hash").bytes());
        boolean implied = optionalInteger(a, "implied_port").orElse(0) != 0;
        long port = integer(a, "port");
        if (port < 0 || port > 65535 || (port == 0 && !implied)) {
            throw new KrpcException("port " + port + " out of range");
        }
        BString token = string(a, "token");
        if (token.length() > MAX_TOKEN) {
            throw new KrpcException("a token of " + token.length() + " bytes");
        }
        return new AnnouncePeer(tid, sender, infoHash, (int) port, implied, token);
    }

    private static Response response(BDict dict, BString tid) throws KrpcException {
        BDict r = dict.dict("r").orElseThrow(() -> new KrpcException("no response body 'r'"));
        List<Contact> nodes = r.containsKey("nodes") ? CompactInfo.nodes(string(r, "nodes").bytes()) : List.of();
        List<InetSocketAddress> values = new ArrayList<>();
        if (r.containsKey("values")) {
            for (BValue v : r.list("values").orElseThrow(() -> new KrpcException("'values' is not a list")).values()) {
                if (!(v instanceof BString peer)) {
                    throw new KrpcException("a peer in 'values' is not a string");
                }
                values.add(CompactInfo.address(peer.bytes()));
            }
        }
        Optional<BString> token = r.containsKey("token") ? Optional.of(string(r, "token")) : Optional.empty();
        if (token.isPresent() && token.get().length() > MAX_TOKEN) {
            throw new KrpcException("a token of " + token.get().length() + " bytes");
        }
        List<InfoHash> samples = new ArrayList<>();
        if (r.containsKey("samples")) {
            byte[] all = string(r, "samples").bytes();
            if (all.length % InfoHash.LENGTH != 0) {
                throw new KrpcException("'samples' of " + all.length + " bytes, not a multiple of 20");
            }
            for (int at = 0; at < all.length; at += InfoHash.LENGTH) {
                samples.add(new InfoHash(Arrays.copyOfRange(all, at, at + InfoHash.LENGTH)));
            }
        }
        // BEP 42's "ip" is advice: one that cannot be read is ignored rather than the whole answer
        Optional<InetSocketAddress> requester = Optional.empty();
        Optional<BString> ip = dict.string("ip");
        if (ip.isPresent() && (ip.get().length() == CompactInfo.IPV4_ADDRESS || ip.get().length() == CompactInfo.IPV6_ADDRESS)) {
            requester = Optional.of(CompactInfo.address(ip.get().bytes()));
        }
        return new Response(tid, id(r, "id"), nodes, values, token, samples,
                optionalInteger(r, "num"), optionalInteger(r, "interval"), requester);
    }

    private static Error error(BDict dict, BString tid) throws KrpcException {
        List<BValue> e = dict.list("e").orElseThrow(() -> new KrpcException("no error list 'e'")).values();
        if (e.isEmpty() || !(e.get(0) instanceof BInteger(long code))) {
            throw new KrpcException("an error without a code");
        }
        String text = e.size() > 1 && e.get(1) instanceof BString s ? s.text() : "";
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "...";
        }
        return new Error(tid, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, code)), text);
    }

    private static NodeId id(BDict d, String key) throws KrpcException {
        BString s = string(d, key);
        if (s.length() != NodeId.LENGTH) {
            throw new KrpcException("'" + key + "' of " + s.length() + " bytes, not 20");
        }
        return new NodeId(s.bytes());
    }

    private static BString string(BDict d, String key) throws KrpcException {
        if (!d.containsKey(key)) {
            throw new KrpcException("missing '" + key + "'");
        }
        return d.string(key).orElseThrow(() -> new KrpcException("'" + key + "' is not a string"));
    }

    private static long integer(BDict d, String key) throws KrpcException {
        if (!d.containsKey(key)) {
            throw new KrpcException("missing '" + key + "'");
        }
        return d.integer(key).orElseThrow(() -> new KrpcException("'" + key + "' is not an integer"));
    }

    private static OptionalLong optionalInteger(BDict d, String key) throws KrpcException {
        return d.containsKey(key) ? OptionalLong.of(integer(d, key)) : OptionalLong.empty();
    }
}
