package pyto.peer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import pyto.wire.PeerId;

/**
 * Who sent us bad data (BEP 3 pieces are checked whole, so a bad block is only found out when
 * its piece fails): the peers that sent blocks of each unfinished piece, a trust score per
 * peer, and the ban list.
 *
 * <p>A good piece earns its senders trust, up to a ceiling; a bad one costs each of them more.
 * A peer that runs out (three bad pieces from a stranger) is banned. An honest peer that
 * shared a piece with a liar loses some trust too, but earns it back with the good pieces it
 * sends, which a liar does not. Peers are known by {@link PeerIdentity}, not by connection:
 * a liar that hangs up before its piece is checked, or comes back after, keeps its score.
 * Thread-safe: peer threads report blocks and verdicts.
 */
final class Reputation {

    private static final int TRUST_PER_GOOD_PIECE = 1;
    private static final int MAX_TRUST = 20;
    private static final int TRUST_PER_BAD_PIECE = 2;
    private static final int BAN_AT = -6;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Set<PeerIdentity>> senders = new HashMap<>();
    private final Map<PeerIdentity, Integer> trust = new HashMap<>();
    /** Where each sender was last connected: a local peer's ban also covers the address we dialled. */
    private final Map<PeerIdentity, InetSocketAddress> lastSeenAt = new HashMap<>();
    private final BanList bans = new BanList();

    /** {@code peer} sent a block of {@code piece}, which is not yet checked. */
    void sent(int piece, PeerConnection peer) {
        PeerIdentity who = peer.identity();
        lock.lock();
        try {
            if (senders.computeIfAbsent(piece, p -> new HashSet<>()).add(who)) {
                lastSeenAt.put(who, peer.address());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The piece matched its hash: its senders earn trust. */
    void good(int piece) {
        judge(piece, TRUST_PER_GOOD_PIECE);
    }

    /** The piece failed its hash: its senders lose trust; returns those now banned, to drop. */
    List<PeerIdentity> bad(int piece) {
        return judge(piece, -TRUST_PER_BAD_PIECE);
    }

    private List<PeerIdentity> judge(int piece, int change) {
        List<PeerIdentity> banned = new ArrayList<>();
        lock.lock();
        try {
            for (PeerIdentity p : senders.getOrDefault(piece, Set.of())) {
                int score = trust.merge(p, change, (a, b) -> Math.min(MAX_TRUST, a + b));
                if (score <= BAN_AT) {
                    bans.ban(lastSeenAt.get(p), p.peerId());
                    banned.add(p);
                }
            }
            senders.remove(piece);
        } finally {
            lock.unlock();
        }
        return banned;
    }

    /** Who sent blocks of the piece, for the log. */
    Set<PeerIdentity> senders(int piece) {
        lock.lock();
        try {
            return Set.copyOf(senders.getOrDefault(piece, Set.of()));
        } finally {
            lock.unlock();
        }
    }

    /** Whether to refuse a peer at {@code address}; {@code peerId} is null before the handshake. */
    boolean isBanned(InetSocketAddress address, PeerId peerId) {
        return bans.isBanned(address, peerId);
    }
}
