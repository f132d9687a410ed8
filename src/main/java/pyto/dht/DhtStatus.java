package pyto.dht;

/**
 * A DHT node at one moment, for progress lines and {@code pyto dht}.
 *
 * @param goodNodes        nodes in the routing table that answered within 15 minutes
 * @param nodes            nodes in the routing table
 * @param buckets          buckets of the routing table
 * @param infoHashes       torrents others announced to us
 * @param storedPeers      peers stored for them
 * @param outstanding      our queries waiting for an answer
 * @param queriesIn        queries answered per second, lately
 * @param queriesOut       queries sent per second, lately
 * @param dropped          datagrams dropped so far: junk, over the rate limits, answers to nothing
 */
public record DhtStatus(int goodNodes, int nodes, int buckets, int infoHashes, int storedPeers, int outstanding,
                        double queriesIn, double queriesOut, long dropped) {

    @Override
    public String toString() {
        return String.format("%d node%s (%d good, %d bucket%s), %d torrent%s with %d peers stored, "
                        + "%.1f queries/s in, %.1f out, %d dropped",
                nodes, nodes == 1 ? "" : "s", goodNodes, buckets, buckets == 1 ? "" : "s",
                infoHashes, infoHashes == 1 ? "" : "s", storedPeers, queriesIn, queriesOut, dropped);
    }
}
