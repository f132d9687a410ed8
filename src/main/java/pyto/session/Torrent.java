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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.Scope;
import pyto.concurrent.TokenBucket;
import pyto.metainfo.Metainfo;
import pyto.peer.Handshakes;
import pyto.peer.PeerConnection;
import pyto.peer.PeerSocket;
import pyto.peer.PeerStatus;
import pyto.peer.Swarm;
import pyto.peer.SwarmEvents;
import pyto.piece.PieceGeometry;
import pyto.piece.PiecePicker;
import pyto.storage.CheckResult;
import pyto.storage.Storage;
import pyto.tracker.AnnounceRequest;
import pyto.wire.Handshake;

/**
 * One torrent in a session, from the check of what is on disk to seeding: its lifecycle,
 * and the owner of everything that runs for it.
 *
 * <p>Each run of the torrent lives in one {@link Scope}: the main task (check, then dial
 * peers), the announcers, the choker, and every peer's reader and writer. Stopping the
 * torrent ({@link #pause()}, or closing it) closes the scope, which ends every one of those
 * threads and closes every socket before it returns; a peer that fails ends only itself, any
 * other task that fails ends the run and leaves the torrent FAILED with the reason. Peer
 * threads report here through {@link SwarmEvents}.
 */
public final class Torrent implements SwarmEvents {

    private static final System.Logger LOG = System.getLogger(Torrent.class.getName());

    /**
     * Where a torrent is in its life. PAUSED is a stop the user asked for and can undo;
     * STOPPED is the end (the session closed or the torrent was removed).
     */
    public enum State { CHECKING, DOWNLOADING, SEEDING, PAUSED, STOPPED, FAILED }

    static final long SNUB_MILLIS = 60_000;
    /** Below this many peers we ask the trackers for more before their interval is up. */
    static final int FEW_PEERS = 5;

    private final Session session;
    private final Metainfo metainfo;
    private final Storage storage;
    private final PiecePicker picker;
    private final Swarm swarm;
    private final PeerDirectory directory = new PeerDirectory(System::currentTimeMillis);
    private final UploadSlots uploadSlots;
    private final int announceKey;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.STOPPED;   // guarded by lock
    private String error;                  // guarded by lock
    private Scope scope;                   // guarded by lock: the current run
    private AnnounceGroup trackers;        // guarded by lock
    private boolean checked;               // guarded by lock
    private final AtomicLong checkedBytes = new AtomicLong();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Dialer dialer;
    private final TokenBucket downloadLimit = new TokenBucket(0);
    private final TokenBucket uploadLimit = new TokenBucket(0);

    Torrent(Session session, Metainfo metainfo, Path downloadDir) throws IOException {
        this.session = session;
        this.metainfo = metainfo;
        this.storage = new Storage(metainfo, downloadDir);
        this.picker = new PiecePicker(PieceGeometry.of(metainfo), new Random());
        this.swarm = new Swarm(metainfo.infoHash(), session.peerId(), picker, storage, this,
                session.config().trace(), session.config().maxPeersPerTorrent(), session.config().peerTimeouts(),
                List.of(downloadLimit, session.downloadLimit()), List.of(uploadLimit, session.uploadLimit()));
        this.uploadSlots = new UploadSlots(new Choker(System::currentTimeMillis, new Random(), session.config().uploadSlots(),
                session.config().chokeRound().toMillis()), swarm);
        this.announceKey = new Random().nextInt();
        this.dialer = new Dialer(session, swarm, directory);
    }

    // ---- lifecycle -------------------------------------------------------------------------

    /** Starts a run: check the data (the first time), then download or seed. */
    void start() {
        lock.lock();
        try {
            if (scope != null) {
                return;
            }
            error = null;
            scope = new Scope("torrent " + metainfo.name(), this::runFailed);
            state = checked ? (picker.isComplete() ? State.SEEDING : State.DOWNLOADING) : State.CHECKING;
            Scope run = scope;
            run.fork("main", () -> run(run));
            changed.signalAll();
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
        try {
            if (completed.get()) {
                storage.finish(); // again: the run may have been stopped while finishing
            } else {
                storage.flush();
            }
        } catch (IOException e) {
            fail("could not write the files out: " + e.getMessage());
        }
        lock.lock();
        try {
            if (state != State.FAILED) {
                state = next;
            }
            changed.signalAll();
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
        storage.close();
    }

    /** The main task of a run. */
    private void run(Scope run) throws Exception {
        if (!isChecked()) {
            check();
        }
        boolean complete = picker.isComplete();
        if (complete) {
            storage.finish(); // empty files, for a torrent that was already complete on disk
            completed.set(true);
        }
        AnnounceGroup group = new AnnounceGroup(metainfo.trackerTiers(), this::announceRequest, this::addPeers,
                session.config().announcer(), new Random());
        lock.lock();
        try {
            trackers = group;
            setState(complete ? State.SEEDING : State.DOWNLOADING);
        } finally {
            lock.unlock();
        }
        group.start(run);
        swarm.pieces().startVerifiers(run);
        run.forkPeriodic("choker", session.config().chokeRound(), this::rechoke);
        dialer.run(run);
    }

    /** The resume check: which pieces are already on disk (from an earlier run or another client). */
    private void check() throws IOException, InterruptedException {
        CheckResult result = storage.check((done, total) -> checkedBytes.set(done));
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            if (result.has(piece)) {
                picker.onPieceVerified(piece);
            }
        }
        lock.lock();
        try {
            checked = true;
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} of {2} pieces already on disk",
                metainfo.name(), result.verifiedCount(), metainfo.pieceCount());
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

    /** Addresses to try, from a tracker, the command line or another source. */
    public void addPeers(Collection<InetSocketAddress> peers) {
        if (directory.add(peers) > 0) {
            dialer.wake();
        }
    }

    /**
     * An incoming connection whose handshake named this torrent: answer it and start the peer.
     * Turned away while the data is being checked: we cannot yet say which pieces we have, and
     * a peer that took our empty bitfield for the truth would never ask us for anything.
     */
    void accept(PeerSocket socket, Handshake.Head head) throws IOException {
        Scope run = currentScope();
        if (run == null || !isChecked() || swarm.isFull() || session.isFull() || swarm.isBanned(socket.remote())) {
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
     * One choking round (every 10 s by default, on the torrent's choker thread), after a look
     * at every peer: silent, snubbed, or owing us requests for too long.
     */
    private void rechoke() {
        swarm.checkPeers(System.currentTimeMillis(), SNUB_MILLIS);
        uploadSlots.round(picker.isComplete());
        if (swarm.peers().size() < FEW_PEERS && !picker.isComplete()) {
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
        if (picker.isComplete() && completed.compareAndSet(false, true)) {
            onComplete();
        }
    }

    private void onComplete() {
        LOG.log(System.Logger.Level.INFO, "{0}: download complete", metainfo.name());
        try {
            storage.finish();
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) { // else: stopping; stop() finishes the files
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
        LOG.log(System.Logger.Level.ERROR, "{0}: {1}", metainfo.name(), reason);
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

    public Metainfo metainfo() {
        return metainfo;
    }

    /** The file (single-file torrent) or directory (multi-file) the torrent's data is in. */
    public Path location() {
        return storage.location();
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
        long left = picker.bytesLeft();
        double down = swarm.downloaded().rate();
        Optional<Duration> eta = s == State.DOWNLOADING && down > 1
                ? Optional.of(Duration.ofSeconds((long) (left / down))) : Optional.empty();
        return new TorrentStatus(metainfo.name(), metainfo.infoHash(), s, metainfo.totalLength(),
                metainfo.totalLength() - left, checkedBytes.get(), down, swarm.uploaded().rate(),
                swarm.downloaded().total(), swarm.uploaded().total(), swarm.peers().size(), directory.size(),
                eta, group == null ? List.of() : group.status(), why, swarm.wastedBytes(), swarm.hashFailures());
    }

    /** The connected peers, for a peer list. */
    public List<PeerStatus> peers() {
        return swarm.peers().stream().map(PeerConnection::status).toList();
    }

    /** What the announcers tell the trackers about us; they set the event themselves. */
    private AnnounceRequest announceRequest() {
        return new AnnounceRequest(metainfo.infoHash(), session.peerId().bytes(), session.port(),
                swarm.uploaded().total(), swarm.downloaded().total(), picker.bytesLeft(),
                AnnounceRequest.Event.NONE, session.config().numWant(), announceKey);
    }

    Swarm swarm() {
        return swarm;
    }

    @Override
    public String toString() {
        return metainfo.name();
    }
}
