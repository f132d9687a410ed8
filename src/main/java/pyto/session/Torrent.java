package pyto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.dht.DhtNode;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.peer.PeerConnection;
import pyto.peer.PeerSocket;
import pyto.peer.PeerStatus;
import pyto.peer.Swarm;
import pyto.peer.SwarmEvents;
import pyto.peer.TorrentPieces;
import pyto.wire.AllowedFastSet;
import pyto.wire.Handshake;

/**
 * One torrent in a session, from its metadata to seeding: its lifecycle, and the owner of
 * everything that runs for it.
 *
 * <p>A torrent made from a .torrent file knows its metadata from the start; one made from a
 * magnet link (BEP 9) first finds peers (trackers of the link, its {@code x.pe} peers, peer
 * exchange) and fetches the metadata from them, keeping those peers for the download.
 *
 * <p>Each run of the torrent lives in one {@link Scope}: the main task (fetch the metadata,
 * check what is on disk, then download or seed), the announcers, the dialler, the periodic
 * task, and every peer's reader and writer. Stopping the torrent ({@link #pause()}, or closing
 * it) closes the scope, which ends every one of those threads and closes every socket before
 * it returns; a peer that fails ends only itself, any other task that fails ends the run and
 * leaves the torrent FAILED with the reason. Peer threads report here through {@link SwarmEvents}.
 */
public final class Torrent implements SwarmEvents {

    private static final System.Logger LOG = System.getLogger(Torrent.class.getName());

    /**
     * Where a torrent is in its life. METADATA: fetching the info dictionary from peers
     * (BEP 9). PAUSED is a stop the user asked for and can undo; STOPPED is the end (the
     * session closed or the torrent was removed).
     */
    public enum State { METADATA, CHECKING, DOWNLOADING, SEEDING, PAUSED, STOPPED, FAILED }

    /** What we tell trackers is left while we do not know the size (libtorrent says the same). */
    static final long LEFT_WITHOUT_METADATA = 16 * 1024;

    private final Session session;
    private final MagnetLink link;
    private final Path downloadDir;
    private final Swarm swarm;
    private final TorrentPeers peers;
    private final MetadataArrival metadata = new MetadataArrival();
    private final TokenBucket downloadLimit = new TokenBucket(0);
    private final TokenBucket uploadLimit = new TokenBucket(0);
    private final AtomicBoolean completed = new AtomicBoolean();

    private final TorrentState state = new TorrentState(); // and the current run
    private volatile TorrentContent content; // written by a run's main task only; null until the metadata is known

    /** A torrent whose metadata we have. */
    Torrent(Session session, Metainfo metainfo, Path downloadDir) throws IOException {
        this(session, MagnetLink.of(metainfo), downloadDir);
        this.content = new TorrentContent(metainfo, downloadDir);
        swarm.onMetadata(metainfo);
    }

    /** A torrent known by its magnet link only: it fetches its metadata from peers first. */
    Torrent(Session session, MagnetLink link, Path downloadDir) {
        this.session = session;
        this.link = link;
        this.downloadDir = downloadDir;
        Session.Config config = session.config();
        this.swarm = new Swarm(link.infoHash(), session.peerId(), this, new Swarm.Settings(config.trace(),
                config.maxPeersPerTorrent(), config.peerTimeouts(), session.port(), config.pexInterval(),
                config.uploadSlots() == 0 ? 0 : AllowedFastSet.DEFAULT_SIZE, session.dht().map(DhtNode::port).orElse(0),
                List.of(downloadLimit, session.downloadLimit()), List.of(uploadLimit, session.uploadLimit())));
        this.peers = new TorrentPeers(session, swarm, this::left);
        peers.add(link.peers());
    }

    // ---- lifecycle -------------------------------------------------------------------------

    /** Starts a run: fetch the metadata or check the data (the first time), then download or seed. */
    void start() {
        TorrentContent c = content;
        state.begin("torrent " + name(), c == null ? State.METADATA : !c.isChecked() ? State.CHECKING
                : c.picker().isComplete() ? State.SEEDING : State.DOWNLOADING, this::runFailed,
                run -> run.fork("main", () -> run(run)));
    }

    /**
     * Pauses the torrent: tells the trackers {@code stopped}, closes every peer, waits for
     * every thread of the torrent to end, and flushes the files. Verified pieces are kept, so
     * {@link #resume()} checks nothing again.
     */
    public void pause() {
        stop(State.PAUSED);
    }

    /** Continues a paused (or failed) torrent where it stopped. */
    public void resume() {
        start();
    }

    /** Ends the current run, leaving the torrent in {@code next} unless it failed. */
    private void stop(State next) {
        Scope run = state.end();
        if (run != null) {
            run.close();
        }
        TorrentContent c = content;
        if (c != null) {
            try {
                if (completed.get()) {
                    c.storage().finish(); // again: the run may have been stopped while finishing
                } else {
                    c.storage().flush();
                }
            } catch (IOException e) {
                fail("could not write the files out: " + e.getMessage());
            }
        }
        state.moveTo(next);
    }

    /** The session-wide limits still apply on top of these. */
    public void setLimits(RateLimits limits) {
        downloadLimit.setRate(limits.downloadBytesPerSecond());
        uploadLimit.setRate(limits.uploadBytesPerSecond());
    }

    public RateLimits limits() {
        return new RateLimits(downloadLimit.rate(), uploadLimit.rate());
    }

    /** Stops the torrent for good and closes its files. */
    void close() {
        stop(State.STOPPED);
        TorrentContent c = content;
        if (c != null) {
            c.storage().close();
        }
    }

    /**
     * The main task of a run. Peers come first for a magnet link, which needs them for its
     * metadata; a torrent with metadata checks its data first, since until then it cannot
     * say which pieces it has.
     */
    private void run(Scope run) throws Exception {
        boolean peersStarted = false;
        if (content == null) {
            peers.start(run, link.trackerTiers(), List.of(), () -> false);
            peersStarted = true;
            run.forkPeriodic("metadata", Duration.ofSeconds(1), swarm::metadataTick);
            Metainfo metainfo = metadata.await(link, downloadDir);
            TorrentContent c = new TorrentContent(metainfo, downloadDir);
            session.checkLocation(this, c.storage().location());
            content = c;
            swarm.onMetadata(metainfo);
        }
        TorrentContent c = content;
        if (!c.isChecked()) { // the first run; a resume knows what it verified
            state.moveTo(State.CHECKING);
            c.check();
        }
        TorrentPieces pieces = swarm.pieces() != null ? swarm.pieces() : swarm.attach(c.picker(), c.storage());
        boolean complete = c.picker().isComplete();
        if (complete) {
            c.storage().finish(); // empty files, for a torrent that was already complete on disk
            completed.set(true);
        }
        state.moveTo(complete ? State.SEEDING : State.DOWNLOADING);
        pieces.startVerifiers(run);
        if (!peersStarted) {
            peers.start(run, c.metainfo().trackerTiers(), c.metainfo().dhtNodes(), () -> c.picker().isComplete());
        }
    }

    /** Its data, once the metadata is known: the verified pieces, and resume data to save. */
    public Optional<TorrentContent> content() {
        return Optional.ofNullable(content);
    }

    /** Asks every tracker for peers now, or as soon as its minimum interval allows. */
    public void reannounce() {
        peers.reannounce();
    }

    // ---- peers -----------------------------------------------------------------------------

    /** Addresses to try, from a tracker, the command line, peer exchange or another source. */
    public void addPeers(Collection<InetSocketAddress> addresses) {
        peers.add(addresses);
    }

    /**
     * An incoming connection whose handshake named this torrent: answer it and start the peer.
     * Turned away while the data is being checked: we cannot yet say which pieces we have, and
     * a peer that took our empty bitfield for the truth would never ask us for anything. (A
     * magnet link's torrent takes peers before its metadata, but tells them it has nothing
     * yet, and what it has once it knows.)
     */
    void accept(PeerSocket socket, Handshake.Head head) throws IOException {
        Scope run = state.current(true);
        if (run == null) {
            socket.close();
            return;
        }
        peers.accept(run, socket, head);
    }

    // ---- events from the swarm (peer threads) ----------------------------------------------

    @Override
    public void pieceVerified(int piece) {
        if (content.picker().isComplete() && completed.compareAndSet(false, true)) {
            onComplete();
        }
    }

    private void onComplete() {
        LOG.log(System.Logger.Level.INFO, "{0}: download complete", name());
        try {
            content.storage().finish();
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) { // else: stopping; stop(State) finishes the files
                diskFailed(e);
            }
            return;
        }
        state.moveTo(State.SEEDING);
        peers.completed();
        swarm.onComplete();
    }

    @Override
    public void metadataFetched(byte[] infoBytes) {
        metadata.arrived(infoBytes);
    }

    @Override
    public void peersDiscovered(List<InetSocketAddress> discovered) {
        peers.add(discovered);
    }

    @Override
    public void dhtNodeSeen(InetSocketAddress node) {
        session.dht().ifPresent(dht -> dht.ping(node));
    }

    @Override
    public void externalAddress(InetAddress address) {
        session.dht().ifPresent(dht -> dht.learnExternalAddress(address));
    }

    /**
     * A task of the run failed (the resume check could not read the disk, the files could not
     * be finished, a bug in a verifier; its scope has cancelled the rest), or the disk did:
     * the torrent says why it stopped instead of staying in the state it was in.
     */
    @Override
    public void diskFailed(IOException e) {
        runFailed(e);
    }

    private void runFailed(Throwable e) {
        fail(e.getMessage() != null ? e.getMessage() : e.toString());
    }

    /** Records why the torrent cannot go on and cancels its run; pausing or closing it later waits for the threads. */
    private void fail(String reason) {
        if (state.fail(reason)) {
            LOG.log(System.Logger.Level.ERROR, "{0}: {1}", name(), reason);
        }
    }

    @Override
    public void interestChanged(PeerConnection peer) {
        peers.interestChanged(peer);
    }

    @Override
    public void peerGone(PeerConnection peer) {
        peers.peerGone(peer);
    }

    // ---- status ----------------------------------------------------------------------------

    public State state() {
        return state.now();
    }

    /**
     * Waits until the torrent is complete, failed, paused or stopped, or {@code timeout} passes;
     * true when complete. Complete means seeding: the last piece verified and its files
     * finished, not just the last piece in.
     */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return awaitState(EnumSet.of(State.SEEDING, State.FAILED, State.STOPPED, State.PAUSED), timeout)
                == State.SEEDING;
    }

    /** Waits until the torrent is in one of {@code states}, or {@code timeout} passes; returns the state then. */
    public State awaitState(Set<State> states, Duration timeout) throws InterruptedException {
        return state.await(states, timeout);
    }

    public InfoHash infoHash() {
        return link.infoHash();
    }

    /** The torrent's name: its metadata's, else the magnet link's {@code dn}, else its info hash. */
    public String name() {
        TorrentContent c = content;
        return c != null ? c.metainfo().name() : link.name().orElse(link.infoHash().hex());
    }

    /** The metainfo, once known: at once for a .torrent, after the metadata exchange for a magnet link. */
    public Optional<Metainfo> metainfo() {
        return content().map(TorrentContent::metainfo);
    }

    /** The magnet link of this torrent. */
    public MagnetLink magnetLink() {
        return content != null ? MagnetLink.of(content.metainfo()) : link;
    }

    /** The file (single-file torrent) or directory (multi-file) the torrent's data is in, once known. */
    public Optional<Path> location() {
        return content().map(c -> c.storage().location());
    }

    public TorrentStatus status() {
        return TorrentStatus.of(name(), infoHash(), state.now(), state.error(), content, swarm, peers,
                session.dht().map(d -> d.status().goodNodes()).orElse(-1));
    }

    /** The connected peers, for a peer list. */
    public List<PeerStatus> peers() {
        return swarm.peers().stream().map(PeerConnection::status).toList();
    }

    /** What we tell the trackers is left to download. */
    private long left() {
        return content().map(c -> c.picker().bytesLeft()).orElse(LEFT_WITHOUT_METADATA);
    }

    Swarm swarm() {
        return swarm;
    }

    @Override
    public String toString() {
        return name();
    }
}
