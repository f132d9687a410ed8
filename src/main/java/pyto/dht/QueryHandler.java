package pyto.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import pyto.dht.KrpcMessage.AnnouncePeer;
import pyto.dht.KrpcMessage.Error;
import pyto.dht.KrpcMessage.FindNode;
import pyto.dht.KrpcMessage.GetPeers;
import pyto.dht.KrpcMessage.Ping;
import pyto.dht.KrpcMessage.Query;
import pyto.dht.KrpcMessage.Response;
import pyto.dht.KrpcMessage.SampleInfohashes;

/**
 * Answers the queries of other nodes (BEP 5, BEP 51), each answer carrying BEP 42's "ip": the
 * address the query came from.
 * <ul>
 * <li>ping: our id.
 * <li>find_node: the 8 closest nodes we know to the target.
 * <li>get_peers: a token for the asker's IP, the peers we store for the torrent (at most 50),
 *     and the 8 closest nodes to its info hash, so the asker's lookup goes on either way.
 * <li>announce_peer: with a token we gave that IP, stores the peer on the port it names, or on
 *     the query's source port with {@code implied_port}; else error 203.
 * <li>sample_infohashes: up to 20 of the info hashes we store, how many there are, the
 *     closest nodes, and how long to wait before asking again.
 * </ul>
 * Runs on the reader thread.
 */
final class QueryHandler {

    /** Samples in one answer: 20 hashes are 400 bytes, and the answer stays small. */
    static final int MAX_SAMPLES = 20;
    /** BEP 51's interval: our store changes slowly; libtorrent's default is 6 hours. */
    static final int SAMPLE_INTERVAL_SECONDS = 6 * 3600;

    private final RoutingTable table;
    private final Tokens tokens;
    private final PeerStore store;
    private final int maxPeersPerReply;

    QueryHandler(RoutingTable table, Tokens tokens, PeerStore store, int maxPeersPerReply) {
        this.table = table;
        this.tokens = tokens;
        this.store = store;
        this.maxPeersPerReply = maxPeersPerReply;
    }

    KrpcMessage answer(Query query, InetSocketAddress from) {
        Response plain = Response.of(query.tid(), table.ownId(), Optional.of(from));
        return switch (query) {
            case Ping p -> plain;
            case FindNode f -> plain.withNodes(closest(f.target()));
            case GetPeers g -> {
                List<InetSocketAddress> peers = store.peers(g.infoHash(), maxPeersPerReply);
                yield plain.withToken(tokens.issue(from.getAddress()))
                        .withNodes(closest(NodeId.of(g.infoHash()))).withValues(peers);
            }
            case AnnouncePeer a -> {
                if (!tokens.isValid(a.token(), from.getAddress())) {
                    yield new Error(a.tid(), Error.PROTOCOL, "bad token");
                }
                // a full store still says yes: the announcer cannot do better elsewhere for it
                store.add(a.infoHash(), new InetSocketAddress(from.getAddress(), a.impliedPort() ? from.getPort() : a.port()));
                yield plain;
            }
            case SampleInfohashes s -> plain.withNodes(closest(s.target()))
                    .withSamples(store.sample(MAX_SAMPLES), store.infoHashCount(), SAMPLE_INTERVAL_SECONDS);
        };
    }

    private List<Contact> closest(NodeId target) {
        return table.closest(target, Bucket.SIZE);
    }
}
