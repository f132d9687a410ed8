package pyto.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import pyto.bencode.BString;
import pyto.metainfo.InfoHash;

/**
 * One KRPC message (BEP 5): a bencoded dictionary in one UDP datagram, a query ("y": "q"),
 * a response ("r") or an error ("e"), each with the transaction id ("t") the asker chose and
 * the answer echoes. The queries are BEP 5's four and BEP 51's {@code sample_infohashes}.
 *
 * <p>A response does not say which query it answers: only its transaction does. So there is
 * one {@link Response} record with every key a response may carry, empty when absent, and the
 * code that sent the query reads the keys it asked for. {@link KrpcCodec} turns these records
 * into bytes and back. Values; any thread.
 */
public sealed interface KrpcMessage permits KrpcMessage.Query, KrpcMessage.Response, KrpcMessage.Error {

    /** The transaction id: chosen by the asker, echoed by the answer. */
    BString tid();

    /** A question to another node; every query names its sender's id. */
    sealed interface Query extends KrpcMessage permits Ping, FindNode, GetPeers, AnnouncePeer, SampleInfohashes {
        NodeId sender();

        /** The method name on the wire, e.g. "find_node". */
        String method();
    }

    /** ping: are you there? The answer carries the node's id. */
    record Ping(BString tid, NodeId sender) implements Query {
        @Override
        public String method() {
            return "ping";
        }

        @Override
        public String toString() {
            return "ping from " + sender.shortHex();
        }
    }

    /** find_node: the nodes you know closest to {@code target}. */
    record FindNode(BString tid, NodeId sender, NodeId target) implements Query {
        @Override
        public String method() {
            return "find_node";
        }

        @Override
        public String toString() {
            return "find_node " + target.shortHex() + " from " + sender.shortHex();
        }
    }

    /** get_peers: the peers you store for this torrent, else the closest nodes; and a token. */
    record GetPeers(BString tid, NodeId sender, InfoHash infoHash) implements Query {
        @Override
        public String method() {
            return "get_peers";
        }

        @Override
        public String toString() {
            return "get_peers " + infoHash.hex() + " from " + sender.shortHex();
        }
    }

    /**
     * announce_peer: I am a peer of this torrent on {@code port} (or, with {@code impliedPort},
     * on the UDP port this query came from), with the token you gave me.
     */
    record AnnouncePeer(BString tid, NodeId sender, InfoHash infoHash, int port, boolean impliedPort, BString token)
            implements Query {
        @Override
        public String method() {
            return "announce_peer";
        }

        @Override
        public String toString() {
            return "announce_peer " + infoHash.hex() + (impliedPort ? " implied port" : " port " + port)
                    + " from " + sender.shortHex();
        }
    }

    /** sample_infohashes (BEP 51): some of the info hashes you store, and the closest nodes. */
    record SampleInfohashes(BString tid, NodeId sender, NodeId target) implements Query {
        @Override
        public String method() {
            return "sample_infohashes";
        }

        @Override
        public String toString() {
            return "sample_infohashes " + target.shortHex() + " from " + sender.shortHex();
        }
    }

    /**
     * An answer. {@code nodes} and {@code token} answer find_node and get_peers, {@code values}
     * (compact peers) get_peers, {@code samples}, {@code num} and {@code interval} BEP 51.
     * {@code requester} is BEP 42's "ip": the address the query came from, as the answerer saw it.
     */
    record Response(BString tid, NodeId sender, List<Contact> nodes, List<InetSocketAddress> values,
                    Optional<BString> token, List<InfoHash> samples, OptionalLong num, OptionalLong interval,
                    Optional<InetSocketAddress> requester) implements KrpcMessage {

        public Response {
            nodes = List.copyOf(nodes);
            values = List.copyOf(values);
            samples = List.copyOf(samples);
        }

        /** An answer with the sender's id only, as to ping and announce_peer. */
        public static Response of(BString tid, NodeId sender, Optional<InetSocketAddress> requester) {
            return new Response(tid, sender, List.of(), List.of(), Optional.empty(), List.of(),
                    OptionalLong.empty(), OptionalLong.empty(), requester);
        }

        public Response withNodes(List<Contact> contacts) {
            return new Response(tid, sender, contacts, values, token, samples, num, interval, requester);
        }

        public Response withValues(List<InetSocketAddress> peers) {
            return new Response(tid, sender, nodes, peers, token, samples, num, interval, requester);
        }

        public Response withToken(BString newToken) {
            return new Response(tid, sender, nodes, values, Optional.of(newToken), samples, num, interval, requester);
        }

        public Response withSamples(List<InfoHash> hashes, long stored, long seconds) {
            return new Response(tid, sender, nodes, values, token, hashes, OptionalLong.of(stored),
                    OptionalLong.of(seconds), requester);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!nodes.isEmpty()) {
                parts.add(nodes.size() + " nodes");
            }
            if (!values.isEmpty()) {
                parts.add(values.size() + " peers");
            }
            token.ifPresent(t -> parts.add("token"));
            if (num.isPresent()) {
                parts.add(samples.size() + " of " + num.getAsLong() + " info hashes, interval " + interval.orElse(0) + " s");
            }
            requester.ifPresent(ip -> parts.add("you are " + ip.getAddress().getHostAddress() + ":" + ip.getPort()));
            return "response from " + sender.shortHex() + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
        }
    }

    /** A failed query: 201 generic, 202 server, 203 protocol (malformed, bad token), 204 method unknown. */
    record Error(BString tid, int code, String message) implements KrpcMessage {
        public static final int GENERIC = 201;
        public static final int SERVER = 202;
        public static final int PROTOCOL = 203;
        public static final int METHOD_UNKNOWN = 204;

        @Override
        public String toString() {
            return "error " + code + " \"" + message + "\"";
        }
    }
}
