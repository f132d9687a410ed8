package pyto.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import pyto.bencode.BString;

/**
 * What one lookup found (BEP 5): the closest nodes to the target that answered, closest first;
 * the tokens those gave (get_peers), good for announcing to them; every peer met on the way;
 * and what it cost.
 *
 * @param announced how many nodes accepted our announce_peer, after {@link DhtNode#announce}; else 0
 */
public record LookupResult(NodeId target, List<Contact> closest, Map<Contact, BString> tokens,
                           List<InetSocketAddress> peers, int queries, int answers, Duration elapsed, int announced) {

    public LookupResult {
        closest = List.copyOf(closest);
        tokens = Map.copyOf(tokens);
        peers = List.copyOf(peers);
    }

    LookupResult withAnnounced(int count) {
        return new LookupResult(target, closest, tokens, peers, queries, answers, elapsed, count);
    }

    @Override
    public String toString() {
        return String.format("lookup %s: %d closest nodes, %d peers, %d queries, %d answers, %d ms%s",
                target.shortHex(), closest.size(), peers.size(), queries, answers, elapsed.toMillis(),
                announced > 0 ? ", announced to " + announced : "");
    }
}
