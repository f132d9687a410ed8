package pyto.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import pyto.wire.PeerId;

/**
 * Peers that sent us corrupt data and are neither kept nor called back.
 *
 * <p>On the Internet a misbehaving host is banned by IP address: it could reconnect from
 * another port or with a new peer id. On loopback or a LAN every peer may share one address
 * (a local swarm, a test), so there the ban is narrower: the peer id and the address we
 * dialled it on. Thread-safe.
 */
final class BanList {

    private final ReentrantLock lock = new ReentrantLock();
    private final Set<InetAddress> hosts = new HashSet<>();
    private final Set<InetSocketAddress> endpoints = new HashSet<>();
    private final Set<PeerId> peerIds = new HashSet<>();

    void ban(InetSocketAddress address, PeerId peerId) {
        lock.lock();
        try {
            if (isLocal(address.getAddress())) {
                endpoints.add(address);
                peerIds.add(peerId);
            } else {
                hosts.add(address.getAddress());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether to refuse a peer at {@code address}; {@code peerId} is null before the handshake. */
    boolean isBanned(InetSocketAddress address, PeerId peerId) {
        lock.lock();
        try {
            return hosts.contains(address.getAddress()) || endpoints.contains(address)
                    || (peerId != null && peerIds.contains(peerId));
        } finally {
            lock.unlock();
        }
    }

    static boolean isLocal(InetAddress a) {
        return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress();
    }
}
