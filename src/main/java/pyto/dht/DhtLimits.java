package pyto.dht;

import java.time.Duration;

/**
 * The numbers that bound a DHT node: waits, lookup sizes, rate limits, storage. The defaults
 * are for the Internet; tests shrink the waits.
 *
 * @param queryTimeout         how long a query waits for its answer
 * @param parallelism          queries a lookup keeps in flight (BEP 5 lookups use 3 to 5)
 * @param lookupMaxQueries     queries one lookup sends at most
 * @param lookupMaxTime        how long one lookup runs at most
 * @param maxTransactions      queries outstanding at once, for the whole node
 * @param sourceBurst          queries one source address may send at once...
 * @param sourcePerSecond      ...and then per second; beyond, silence
 * @param maxSources           source addresses the rate limiter remembers
 * @param sendsPerSecond       packets the node sends per second, at most (0: no cap)
 * @param maxInfoHashes        torrents the peer store holds
 * @param maxPeersPerInfoHash  peers it holds per torrent
 * @param peerLifetime         how long an announced peer is kept
 * @param maxPeersPerReply     peers in one get_peers answer (50 keep it well under 1,500 bytes)
 * @param bootstrapRetry       first wait before bootstrapping again when nothing answered; it doubles...
 * @param bootstrapMaxRetry    ...up to this
 * @param refreshAfter         a bucket nothing happened in for this long is refreshed (BEP 5: 15 minutes)
 * @param maintenanceInterval  how often the node checks its buckets and pings questionable nodes
 */
public record DhtLimits(
        Duration queryTimeout, int parallelism, int lookupMaxQueries, Duration lookupMaxTime,
        int maxTransactions, int sourceBurst, double sourcePerSecond, int maxSources, double sendsPerSecond,
        int maxInfoHashes, int maxPeersPerInfoHash, Duration peerLifetime, int maxPeersPerReply,
        Duration bootstrapRetry, Duration bootstrapMaxRetry, Duration refreshAfter, Duration maintenanceInterval) {

    public static final DhtLimits DEFAULTS = new DhtLimits(
            Duration.ofSeconds(3), 4, 120, Duration.ofSeconds(30),
            1024, 20, 5, 10_000, 1000,
            2000, 500, Duration.ofMinutes(30), 50,
            Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofSeconds(5));

    public DhtLimits withQueryTimeout(Duration timeout) {
        return new DhtLimits(timeout, parallelism, lookupMaxQueries, lookupMaxTime, maxTransactions, sourceBurst,
                sourcePerSecond, maxSources, sendsPerSecond, maxInfoHashes, maxPeersPerInfoHash, peerLifetime,
                maxPeersPerReply, bootstrapRetry, bootstrapMaxRetry, refreshAfter, maintenanceInterval);
    }

    public DhtLimits withLookup(int newParallelism, int maxQueries, Duration maxTime) {
        return new DhtLimits(queryTimeout, newParallelism, maxQueries, maxTime, maxTransactions, sourceBurst,
                sourcePerSecond, maxSources, sendsPerSecond, maxInfoHashes, maxPeersPerInfoHash, peerLifetime,
                maxPeersPerReply, bootstrapRetry, bootstrapMaxRetry, refreshAfter, maintenanceInterval);
    }

    public DhtLimits withRates(int burst, double perSecond, double sends) {
        return new DhtLimits(queryTimeout, parallelism, lookupMaxQueries, lookupMaxTime, maxTransactions, burst,
                perSecond, maxSources, sends, maxInfoHashes, maxPeersPerInfoHash, peerLifetime,
                maxPeersPerReply, bootstrapRetry, bootstrapMaxRetry, refreshAfter, maintenanceInterval);
    }

    public DhtLimits withStorage(int infoHashes, int peersPerInfoHash, Duration lifetime) {
        return new DhtLimits(queryTimeout, parallelism, lookupMaxQueries, lookupMaxTime, maxTransactions, sourceBurst,
                sourcePerSecond, maxSources, sendsPerSecond, infoHashes, peersPerInfoHash, lifetime,
                maxPeersPerReply, bootstrapRetry, bootstrapMaxRetry, refreshAfter, maintenanceInterval);
    }

    public DhtLimits withMaintenance(Duration retry, Duration maxRetry, Duration refresh, Duration interval) {
        return new DhtLimits(queryTimeout, parallelism, lookupMaxQueries, lookupMaxTime, maxTransactions, sourceBurst,
                sourcePerSecond, maxSources, sendsPerSecond, maxInfoHashes, maxPeersPerInfoHash, peerLifetime,
                maxPeersPerReply, retry, maxRetry, refresh, interval);
    }
}
