package pyto.dht;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Our public IP as others report it: BEP 42's "ip" in DHT answers, a tracker's "external ip",
 * BEP 10's "yourip". One report may lie, so each is a vote, and an address is believed once
 * {@value #MIN_VOTES} different voters named it and it leads the count (libtorrent's ip_voter
 * works the same way). Local addresses are never believed: BEP 42 exempts them anyway.
 *
 * <p>Bounded: {@value #MAX_CANDIDATES} addresses and {@value #MAX_VOTERS} voters each. Called
 * by the reader thread and by whoever reports an address; a lock guards it.
 */
final class ExternalAddress {

    static final int MIN_VOTES = 3;
    private static final int MAX_CANDIDATES = 16;
    private static final int MAX_VOTERS = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Set<Object>> votes = new LinkedHashMap<>();
    private InetAddress believed;

    /**
     * Counts {@code voter}'s report that we are {@code claimed}.
     *
     * @return the address, when this vote makes it the one we believe (and it was not before)
     */
    Optional<InetAddress> vote(InetAddress claimed, Object voter) {
        if (Addresses.isLocal(claimed) || claimed.isAnyLocalAddress() || claimed.isMulticastAddress()) {
            return Optional.empty();
        }
        lock.lock();
        try {
            Set<Object> voters = votes.get(claimed);
            if (voters == null) {
                if (votes.size() >= MAX_CANDIDATES) {
                    // forget the least supported other candidate
                    votes.entrySet().stream().filter(e -> !e.getKey().equals(believed))
                            .min((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size()))
                            .ifPresent(e -> votes.remove(e.getKey()));
                }
                voters = new HashSet<>();
                votes.put(claimed, voters);
            }
            if (voters.size() < MAX_VOTERS) {
                voters.add(voter);
            }
            int support = voters.size();
            int current = believed == null ? 0 : votes.getOrDefault(believed, Set.of()).size();
            if (!claimed.equals(believed) && support >= MIN_VOTES && support > current) {
                believed = claimed;
                return Optional.of(claimed);
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    Optional<InetAddress> believed() {
        lock.lock();
        try {
            return Optional.ofNullable(believed);
        } finally {
            lock.unlock();
        }
    }
}
