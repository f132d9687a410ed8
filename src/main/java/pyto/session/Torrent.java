package pyto.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.metainfo.InfoHash;
import pyto.metainfo.MagnetLink;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoException;
import pyto.peer.Handshakes;
import pyto.peer.PeerConnection;
import pyto.peer.PeerSocket;
import pyto.peer.PeerStatus;
import pyto.peer.Swarm;
import pyto.peer.SwarmEvents;
import pyto.peer.TorrentPieces;
import pyto.tracker.AnnounceRequest;
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

    static final long SNUB_MILLIS = 60_000;
    /** Below this many peers we ask the trackers for more before their interval is up. */
    static final int FEW_PEERS = 5;
    /** What we tell trackers is left while we do not know the size (libtorrent says the same). */
    static final long LEFT_WITHOUT_METADATA = 16 * 1024;

    private final Session session;
    private final MagnetLink link;
    private final Path downloadDir;
    private final Swarm swarm;
    private final PeerDirectory directory = new PeerDirectory(System::currentTimeMillis);
    private final UploadSlots uploadSlots;
    private final Dialer dialer;
    private final int announceKey = new Random().nextInt();
    private final TokenBucket downloadLimit = new TokenBucket(0);
    private final TokenBucket uploadLimit = new TokenBucket(0);
    private final AtomicBoolean completed = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.STOPPED;   // guarded by lock
    private String error;                  // guarded by lock
    private Scope scope;                   // guarded by lock: the current run
    private AnnounceGroup trackers;        // guarded by lock
    private volatile TorrentContent content;      // written under lock; null until the metadata is known
    private byte[] fetchedInfo;            // guarded by lock: metadata from peers, not yet taken in
    private boolean checked;               // guarded by lock

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
                config.uploadSlots() == 0 ? 0 : AllowedFastSet.DEFAULT_SIZE,
                List.of(downloadLimit, session.downloadLimit()), List.of(uploadLimit, session.uploadLimit())));
        this.uploadSlots = new UploadSlots(new Choker(System::currentTimeMillis, new Random(), config.uploadSlots(),
                config.chokeRound().toMillis()), swarm);
        this.dialer = new Dialer(session, swarm, directory);
        directory.add(link.peers().stream().filter(a -> !a.isUnresolved()).toList());
    }

    // ---- lifecycle -------------------------------------------------------------------------

    /** Starts a run: fetch the metadata or check the data (the first time), then download or seed. */
    void start() {
        lock.lock();
        try {
            if (scope != null) {
                return;
            }
            error = null;
            scope = new Scope("torrent " + name(), this::runFailed);
            setState(content == null ? State.METADATA : !checked ? State.CHECKING
                    : content.picker().isComplete() ? State.SEEDING : State.DOWNLOADING);
            Scope run = scope;
            run.fork("main", () -> run(run));
        } finally {
            lock.unlock();
        }
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
        Scope run;
        lock.lock();
        try {
            run = scope;
            scope = null;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            if (state != State.FAILED) {
                setState(next);
            }
        } finally {
            lock.unlock();
        }
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
            startPeers(run);
            peersStarted = true;
            run.forkPeriodic("metadata", Duration.ofSeconds(1), swarm::metadataTick);
            takeInMetadata(awaitMetadata());
        }
        TorrentContent c = content;
        if (!isChecked()) {
            setStateLocked(State.CHECKING);
            c.check();
            lock.lock();
            try {
                checked = true;
            } finally {
                lock.unlock();
            }
        }
        TorrentPieces pieces = swarm.pieces() != null ? swarm.pieces() : swarm.attach(c.picker(), c.storage());
        boolean complete = c.picker().isComplete();
        if (complete) {
            c.storage().finish(); // empty files, for a torrent that was already complete on disk
            completed.set(true);
        }
        setStateLocked(complete ? State.SEEDING : State.DOWNLOADING);
        pieces.startVerifiers(run);
        if (!peersStarted) {
            startPeers(run);
        }
    }

    /** Trackers, the periodic task (choking, silent peers, peer exchange) and the dialler. */
    private void startPeers(Scope run) {
        AnnounceGroup group = new AnnounceGroup(content == null ? link.trackerTiers() : content.metainfo().trackerTiers(),
                this::announceRequest, this::addPeers, session.config().announcer(), new Random());
        lock.lock();
        try {
            trackers = group;
        } finally {
            lock.unlock();
        }
        group.start(run);
        run.forkPeriodic("choker", session.config().chokeRound(), this::rechoke);
        run.fork("dialer", () -> dialer.run(run));
    }

    /** Waits until peers have given us the metadata (or the run is cancelled). */
    private byte[] awaitMetadata() throws InterruptedException {
        lock.lock();
        try {
            while (fetchedInfo == null) {
                changed.await();
            }
            return fetchedInfo;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The metadata arrived and matched the info hash: it becomes the torrent's metainfo (with
     * the link's trackers), is saved as NAME.torrent next to the data so that a restart needs
     * no exchange, and the files get a place, unless another torrent of the session is there.
     */
    private void takeInMetadata(byte[] infoBytes) throws IOException {
        Metainfo metainfo;
        try {
            metainfo = link.toMetainfo(infoBytes);
        } catch (MetainfoException e) {
            throw new IOException("the metadata peers sent cannot be used: " + e.getMessage(), e);
        }
        TorrentContent c = new TorrentContent(metainfo, downloadDir);
        session.checkLocation(this, c.storage().location());
        try {
            Path saved = SavedTorrents.save(downloadDir, metainfo);
            LOG.log(System.Logger.Level.INFO, "{0}: metadata received ({1} bytes), saved as {2}",
                    metainfo.name(), infoBytes.length, saved);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: could not save the metadata as a .torrent: {1}",
                    metainfo.name(), e.getMessage());
        }
        lock.lock();
        try {
            content = c;
        } finally {
            lock.unlock();
        }
        swarm.onMetadata(metainfo);
    }

    private boolean isChecked() {
        lock.lock();
        try {
            return checked;
        } finally {
            lock.unlock();
        }
    }

    // ---- peers -----------------------------------------------------------------------------

    /** Addresses to try, from a tracker, the command line, peer exchange or another source. */
    public void addPeers(Collection<InetSocketAddress> peers) {
        if (directory.add(peers) > 0) {
            dialer.wake();
        }
    }

    /**
     * An incoming connection whose handshake named this torrent: answer it and start the peer.
     * Turned away while the data is being checked: we cannot yet say which pieces we have, and
     * a peer that took our empty bitfield for the truth would never ask us for anything. (A
     * magnet link's torrent takes peers before its metadata, but tells them it has nothing
     * yet, and what it has once it knows.)
     */
    void accept(PeerSocket socket, Handshake.Head head) throws IOException {
        Scope run = currentScope();
        if (run == null || state() == State.CHECKING || swarm.isFull() || session.isFull()
                || swarm.isBanned(socket.remote())) {
            socket.close();
            return;
        }
        Handshake theirs = Handshakes.answer(socket, head, swarm.handshake());
        swarm.start(run, new Handshakes.Opened(socket, theirs), null);
    }

    private Scope currentScope() {
        lock.lock();
        try {
            return scope;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One choking round (every 10 s by default, on the torrent's periodic thread), after a look
     * at every peer: silent, snubbed, owing us requests for too long; peer exchange too.
     */
    private void rechoke() {
        swarm.checkPeers(System.currentTimeMillis(), SNUB_MILLIS);
        TorrentContent c = content;
        boolean complete = c != null && c.picker().isComplete();
        uploadSlots.round(complete);
        if (swarm.peers().size() < FEW_PEERS && !complete) {
            AnnounceGroup group = trackerGroup();
            if (group != null) {
                group.announceSoon();
            }
        }
    }

    private AnnounceGroup trackerGroup() {
        lock.lock();
        try {
            return trackers;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            setState(State.SEEDING);
            if (trackers != null) {
                trackers.completed();
            }
        } finally {
            lock.unlock();
        }
        swarm.onComplete();
    }

    @Override
    public void metadataFetched(byte[] infoBytes) {
        lock.lock();
        try {
            fetchedInfo = infoBytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void peersDiscovered(List<InetSocketAddress> peers) {
        addPeers(peers);
    }

    /**
     * A task of the run failed (the resume check could not read the disk, the files could not
     * be finished, a bug in a verifier): its scope has cancelled the rest, and the torrent
     * says why it stopped instead of staying in the state it was in.
     */
    private void runFailed(Throwable e) {
        fail(e.getMessage() != null ? e.getMessage() : e.toString());
    }

    @Override
    public void diskFailed(IOException e) {
        fail(e.getMessage() != null ? e.getMessage() : e.toString());
    }

    /** Records why the torrent cannot go on and cancels its run; pausing or closing it later waits for the threads. */
    private void fail(String reason) {
        Scope run;
        lock.lock();
        try {
            if (state == State.FAILED) {
                return;
            }
            error = reason;
            setState(State.FAILED);
            run = scope;
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.ERROR, "{0}: {1}", name(), reason);
        if (run != null) {
            run.cancel();
        }
    }

    @Override
    public void interestChanged(PeerConnection peer) {
        uploadSlots.interestChanged(peer);
    }

    @Override
    public void peerGone(PeerConnection peer) {
        if (peer.isOutgoing()) {
            directory.ended(peer.address());
        }
        dialer.wake();
    }

    // ---- status ----------------------------------------------------------------------------

    private void setState(State s) {
        state = s;
        changed.signalAll();
    }

    private void setStateLocked(State s) {
        lock.lock();
        try {
            if (state != State.FAILED) {
                setState(s);
            }
        } finally {
            lock.unlock();
        }
    }

    public State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
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
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!states.contains(state) && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return state;
        } finally {
            lock.unlock();
        }
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
        TorrentContent c = content;
        return c == null ? Optional.empty() : Optional.of(c.metainfo());
    }

    /** The magnet link of this torrent. */
    public MagnetLink magnetLink() {
        return content != null ? MagnetLink.of(content.metainfo()) : link;
    }

    /** The file (single-file torrent) or directory (multi-file) the torrent's data is in, once known. */
    public Optional<Path> location() {
        TorrentContent c = content;
        return c == null ? Optional.empty() : Optional.of(c.storage().location());
    }

    public TorrentStatus status() {
        State s;
        Optional<String> why;
        AnnounceGroup group;
        lock.lock();
        try {
            s = state;
            why = Optional.ofNullable(error);
            group = trackers;
        } finally {
            lock.unlock();
        }
        return TorrentStatus.of(name(), infoHash(), s, why, content, swarm, directory.size(),
                group == null ? List.of() : group.status());
    }

    /** The connected peers, for a peer list. */
    public List<PeerStatus> peers() {
        return swarm.peers().stream().map(PeerConnection::status).toList();
    }

    /** What the announcers tell the trackers about us; they set the event themselves. */
    private AnnounceRequest announceRequest() {
        TorrentContent c = content;
        return new AnnounceRequest(infoHash(), session.peerId().bytes(), session.port(),
                swarm.uploaded().total(), swarm.downloaded().total(),
                c == null ? LEFT_WITHOUT_METADATA : c.picker().bytesLeft(),
                AnnounceRequest.Event.NONE, session.config().numWant(), announceKey);
    }

    Swarm swarm() {
        return swarm;
    }

    @Override
    public String toString() {
        return name();
    }
}
