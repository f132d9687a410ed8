package pyto.peer;

import java.util.ArrayList;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import pyto.metainfo.InfoHash;
import pyto.wire.ExtensionMessage;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;

/**
 * The metadata exchange of one torrent (BEP 9, ut_metadata): fetching the info dictionary in
 * 16 KiB pieces from the peers that have it, when the torrent started from a magnet link, and
 * serving it to peers that ask.
 *
 * <p>Fetching. The peers' extended handshakes say how big the metadata is; the size most of
 * them agree on is fetched, piece by piece, at most {@value #PER_PEER} pieces asked of a peer
 * at once. A piece unanswered for {@link #REQUEST_TIMEOUT_MILLIS} is asked of another peer; a
 * peer that rejects is left alone for {@link #REJECT_PAUSE_MILLIS} (aria2 drops a peer that
 * rejects it, so ours is asked again only later). When every piece is in, the SHA-1 of the
 * bytes as received must be the info hash. A peer that sends a piece we did not ask for, or of
 * the wrong size, is dropped and banned for {@link #BAN_MILLIS}. When the hash is wrong and the
 * pieces came from one peer, that peer is banned; when they came from several, the next attempt
 * fetches every piece from a single peer, so that the liar is known the next time. A size of
 * more than 8 MiB (aria2's limit) or less than one byte is never fetched.
 *
 * <p>Serving. Once we have the metadata, a request gets the piece and the total size; without
 * it, a reject. At most {@value #MAX_QUEUED_ANSWERS} answers wait for a peer's writer; a peer
 * asking faster than that is rejected. A private torrent (BEP 27) never advertises ut_metadata.
 *
 * <p>Called by every peer's reader thread and by the torrent's periodic task ({@link #tick});
 * one lock guards the state, and only queuing (no I/O) happens under it.
 */
final class MetadataExchange {

    private static final System.Logger LOG = System.getLogger(MetadataExchange.class.getName());

    static final int PIECE = ExtensionMessage.METADATA_PIECE_SIZE;
    static final int MAX_SIZE = ExtensionMessage.MAX_METADATA_SIZE;
    static final int PER_PEER = 2;
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    static final long REJECT_PAUSE_MILLIS = 60_000;
    static final long BAN_MILLIS = 10 * 60_000;
    static final int MAX_QUEUED_ANSWERS = 4;

    /** Told when the metadata has arrived and matched the info hash, on the thread that completed it. */
    interface Listener {
        void metadataFetched(byte[] infoBytes);
    }

    private final InfoHash infoHash;
    private final Listener listener;
    private final LongSupplier clock;

    private final ReentrantLock lock = new ReentrantLock();
    private byte[] metadata;                                               // guarded by lock
    private boolean serving;                                               // guarded by lock
    private MetadataAttempt attempt;                                               // guarded by lock
    private boolean oneSourceAtATime;                                      // guarded by lock
    private final Map<MetadataPeer, Long> pausedUntil = new HashMap<>(); // guarded by lock
    private final Map<PeerIdentity, Long> bannedUntil = new HashMap<>();   // guarded by lock
    private final List<MetadataPeer> candidates = new ArrayList<>();     // guarded by lock

    MetadataExchange(InfoHash infoHash, Listener listener, LongSupplier clock) {
        this.infoHash = infoHash;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * We know the metadata (from a .torrent, or fetched): fetching ends, and serving starts,
     * unless {@code serve} is false (a private torrent's metadata is never given out, BEP 27).
     */
    void know(byte[] infoBytes, boolean serve) {
        lock.lock();
        try {
            metadata = infoBytes;
            serving = serve;
            attempt = null;
            candidates.clear();
        } finally {
            lock.unlock();
        }
    }

    boolean isKnown() {
        lock.lock();
        try {
            return metadata != null;
        } finally {
            lock.unlock();
        }
    }

    /** The size of the metadata we serve, or -1 while we have none. */
    int size() {
        lock.lock();
        try {
            return metadata == null ? -1 : metadata.length;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the peer may connect to us: not while it is banned for lying about the metadata. */
    boolean isBanned(PeerIdentity identity) {
        lock.lock();
        try {
            Long until = bannedUntil.get(identity);
            return until != null && until > clock.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    // ---- fetching ---------------------------------------------------------------------------

    /** A peer's extended handshake arrived: it may have the metadata for us. */
    void onPeerHandshake(MetadataPeer peer) {
        lock.lock();
        try {
            if (metadata != null) {
                return;
            }
            candidates.remove(peer);
            long size = peer.metadataSize();
            if (peer.offersMetadata() && size > 0 && size <= MAX_SIZE) {
                candidates.add(peer);
            } else if (size > MAX_SIZE) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: metadata of {1} bytes is more than pyto fetches", peer, size);
            }
            askMore();
        } finally {
            lock.unlock();
        }
    }

    void onPeerGone(MetadataPeer peer) {
        lock.lock();
        try {
            candidates.remove(peer);
            pausedUntil.remove(peer);
            if (attempt != null) {
                attempt.forget(peer);
                if (attempt.source == peer) {
                    restart(); // one source at a time: what it sent cannot be told from the next one's
                }
                askMore();
            }
        } finally {
            lock.unlock();
        }
    }

    void onData(MetadataPeer peer, MetadataData data) {
        byte[] complete = null;
        lock.lock();
        try {
            if (metadata != null) {
                return; // in time for nothing: we have it
            }
            MetadataAttempt a = attempt;
            int piece = data.piece();
            if (a == null || piece >= a.pieces.length || !a.wasAsked(peer, piece)) {
                ban(peer, "sent metadata piece " + piece + " that we did not ask it for");
                return;
            }
            if (a.pieces[piece] != null) {
                return; // a late answer to a request that timed out: another peer was quicker
            }
            if (data.totalSize() != a.size || data.data().length != a.pieceLength(piece)) {
                ban(peer, "sent metadata piece " + piece + " of " + data.data().length + " bytes of "
                        + data.totalSize() + ", expected " + a.pieceLength(piece) + " of " + a.size);
                return;
            }
            a.asked[piece] = null;
            a.pieces[piece] = data.data();
            a.sentBy[piece] = peer.identity();
            if (a.complete()) {
                complete = check(a);
            } else {
                askMore();
            }
        } finally {
            lock.unlock();
        }
        if (complete != null) {
            listener.metadataFetched(complete);
        }
    }

    void onReject(MetadataPeer peer, int piece) {
        lock.lock();
        try {
            if (attempt == null || metadata != null) {
                return;
            }
            attempt.forget(peer);
            pausedUntil.put(peer, clock.getAsLong() + REJECT_PAUSE_MILLIS);
            if (attempt.source == peer) {
                attempt.source = null;
                restart();
            }
            askMore();
        } finally {
            lock.unlock();
        }
    }

    /** Now and then (every second or so): requests that went unanswered are asked of others. */
    void tick() {
        lock.lock();
        try {
            if (attempt == null || metadata != null) {
                return;
            }
            long now = clock.getAsLong();
            for (int piece = 0; piece < attempt.asked.length; piece++) {
                MetadataPeer owes = attempt.asked[piece];
                if (owes != null && now - attempt.askedAt[piece] > REQUEST_TIMEOUT_MILLIS) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: no answer for metadata piece {1}", owes, piece);
                    attempt.asked[piece] = null;
                    pausedUntil.put(owes, now + REQUEST_TIMEOUT_MILLIS);
                    if (attempt.source == owes) {
                        restart();
                        break;
                    }
                }
            }
            askMore();
        } finally {
            lock.unlock();
        }
    }

    /** How many of our peers can give us the metadata: for the progress line. */
    int sources() {
        lock.lock();
        try {
            return candidates.size();
        } finally {
            lock.unlock();
        }
    }

    /** Asks each willing peer for pieces nobody was asked for, up to {@value #PER_PEER} each. Under the lock. */
    private void askMore() {
        if (metadata != null) {
            return;
        }
        long now = clock.getAsLong();
        List<MetadataPeer> willing = new ArrayList<>();
        for (MetadataPeer p : candidates) {
            Long paused = pausedUntil.get(p);
            if ((paused == null || paused <= now) && !isBannedLocked(p.identity(), now)) {
                willing.add(p);
            }
        }
        if (attempt == null) {
            int size = commonSize(willing);
            if (size <= 0) {
                return;
            }
            attempt = new MetadataAttempt(size);
        }
        MetadataAttempt a = attempt;
        willing.removeIf(p -> p.metadataSize() != a.size);
        if (oneSourceAtATime) {
            if (a.source == null || !willing.contains(a.source)) {
                a.source = willing.isEmpty() ? null : willing.getFirst();
            }
            willing = a.source == null ? List.of() : List.of(a.source);
        }
        for (int piece = 0; piece < a.pieces.length; piece++) {
            if (a.pieces[piece] != null || a.asked[piece] != null) {
                continue;
            }
            MetadataPeer to = null;
            for (MetadataPeer p : willing) {
                if (a.owedBy(p) < PER_PEER && (to == null || a.owedBy(p) < a.owedBy(to))) {
                    to = p;
                }
            }
            if (to == null) {
                return;
            }
            if (to.sendMetadataMessage(new MetadataRequest(piece))) {
                a.asked(piece, to, now);
            }
        }
    }

    /** The size most willing peers give; the first such peer's breaks a tie. */
    private static int commonSize(List<MetadataPeer> willing) {
        Map<Long, Integer> votes = new HashMap<>();
        long best = -1;
        for (MetadataPeer p : willing) {
            long size = p.metadataSize();
            int n = votes.merge(size, 1, Integer::sum);
            if (best < 0 || n > votes.get(best)) {
                best = size;
            }
        }
        return (int) best;
    }

    /** All pieces are in: the metadata if its hash is the info hash; else the senders pay. Under the lock. */
    private byte[] check(MetadataAttempt a) {
        byte[] all = a.assemble();
        if (Arrays.equals(sha1(all), infoHash.bytes())) {
            metadata = all;
            attempt = null;
            candidates.clear();
            return all;
        }
        List<PeerIdentity> senders = Arrays.stream(a.sentBy).distinct().toList();
        attempt = null;
        if (senders.size() == 1) {
            PeerIdentity liar = senders.getFirst();
            LOG.log(System.Logger.Level.INFO, "metadata from {0} does not match the info hash; banned for a while", liar);
            bannedUntil.put(liar, clock.getAsLong() + BAN_MILLIS);
            for (MetadataPeer p : List.copyOf(candidates)) {
                if (p.identity().equals(liar)) {
                    candidates.remove(p);
                    p.close();
                }
            }
        } else {
            LOG.log(System.Logger.Level.INFO, "metadata from {0} does not match the info hash; fetching it again,"
                    + " each time from one peer only", senders);
            oneSourceAtATime = true;
        }
        askMore();
        return null;
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private void ban(MetadataPeer peer, String why) {
        LOG.log(System.Logger.Level.INFO, "{0}: dropped and banned for a while: {1}", peer, why);
        bannedUntil.put(peer.identity(), clock.getAsLong() + BAN_MILLIS);
        candidates.remove(peer);
        if (attempt != null) {
            attempt.forget(peer);
            if (attempt.source == peer) {
                restart();
            }
        }
        peer.close();
        askMore();
    }

    /** Starts over with no pieces: the pieces of a single source that failed us cannot be trusted. */
    private void restart() {
        attempt = null;
    }

    private boolean isBannedLocked(PeerIdentity identity, long now) {
        Long until = bannedUntil.get(identity);
        return until != null && until > now;
    }

    // ---- serving ----------------------------------------------------------------------------

    /** A peer asks for a piece of the metadata: it gets it, or a reject. */
    void onRequest(MetadataPeer peer, int piece) {
        byte[] known;
        lock.lock();
        try {
            known = serving ? metadata : null;
        } finally {
            lock.unlock();
        }
        int count = known == null ? 0 : (known.length + PIECE - 1) / PIECE;
        if (known == null || piece >= count || peer.answersQueued() >= MAX_QUEUED_ANSWERS) {
            peer.sendMetadataMessage(new MetadataReject(piece));
            return;
        }
        int from = piece * PIECE;
        byte[] data = Arrays.copyOfRange(known, from, Math.min(known.length, from + PIECE));
        peer.sendMetadataMessage(new MetadataData(piece, known.length, data));
    }
}
