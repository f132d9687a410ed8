package pyto.peer;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import pyto.concurrent.TokenBucket;
import pyto.piece.Block;
import pyto.piece.PieceGeometry;
import java.util.function.Predicate;
import java.util.function.Supplier;
import pyto.wire.ExtensionIds;
import pyto.wire.ExtensionMessage;
import pyto.wire.MessageCodec;
import pyto.wire.PeerMessage;

/**
 * Everything we send to one peer (BEP 3), on the connection's second virtual thread.
 *
 * <p>Other threads only queue: short messages (requests, have, choke...) and the blocks we
 * owe the peer. The writer reads each owed block from disk just before sending it, so a long
 * queue of requests costs no memory, and a {@code cancel} or a choke can still withdraw it.
 * Upload limits are applied here, to blocks only (see {@link #run}).
 * Messages go out before blocks, so our requests are never stuck behind uploads. The stream
 * is flushed whenever the queue runs dry, which batches many small messages into one write.
 * The torrent's periodic task queues a keep-alive when we have been quiet too long
 * ({@link #keepAliveIfQuiet}); the writer itself never waits with a timeout unless an upload
 * limit makes it.
 */
final class PeerWriter {

    /**
     * The most blocks a peer may have asked of us at once. Clients that do not know our queue
     * size (from BEP 10's {@code reqq}) may ask for thousands: Transmission asks for a whole
     * small torrent at once. A queued request costs a few dozen bytes.
     */
    static final int MAX_UPLOAD_QUEUE = 2048;

    /** Guards the queues; package-private so that a test can hold it to freeze a writer mid-call. */
    final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<PeerMessage> messages = new ArrayDeque<>();
    private final ArrayDeque<Block> uploads = new ArrayDeque<>();
    private boolean closed;
    /** The block next in line, its tokens already taken from the upload limits, and when it may go. */
    private Block reserved;
    private long reservedUntil;
    private volatile long lastWriteMillis = System.currentTimeMillis();

    private final DataOutputStream out;
    private final Supplier<MessageCodec> codec;
    private final BlockSource blocks;
    private final Supplier<ExtensionIds> remoteExtensions;
    private final RateMeter[] uploadMeters;
    private final TokenBucket[] uploadLimits;
    private final MessageTrace trace;
    private final String peer;

    /** Where the blocks we upload come from: the torrent's storage. */
    @FunctionalInterface
    interface BlockSource {
        /** Reads {@code block} into the start of {@code buffer}. */
        void read(Block block, byte[] buffer) throws IOException;
    }

    /**
     * @param codec            the torrent's codec now: it knows the piece count once the metadata is known
     * @param remoteExtensions the ids the peer's extended handshake gave, now (BEP 10): an
     *                         extension message goes out under the peer's id for it, or not
     *                         at all if the peer has not (or no longer) advertised it
     */
    PeerWriter(PeerSocket socket, Supplier<MessageCodec> codec, BlockSource blocks, Supplier<ExtensionIds> remoteExtensions,
               MessageTrace trace, List<TokenBucket> uploadLimits, RateMeter... uploadMeters) {
        this.out = socket.out();
        this.codec = codec;
        this.blocks = blocks;
        this.remoteExtensions = remoteExtensions;
        this.trace = trace;
        this.peer = socket.toString();
        this.uploadMeters = uploadMeters;
        this.uploadLimits = uploadLimits.toArray(TokenBucket[]::new);
    }

    /** Queues a message; it goes out before any block still waiting. */
    void send(PeerMessage message) {
        sendAll(List.of(message));
    }

    /**
     * Queues several messages at once, e.g. a batch of requests: the writer wakes once for
     * all of them and sends them in one write, instead of racing the caller message by message.
     */
    void sendAll(List<? extends PeerMessage> batch) {
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (!closed) {
                messages.addAll(batch);
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a block the peer asked for; false when its queue is full and the request is refused. */
    boolean upload(Block block) {
        lock.lock();
        try {
            if (closed || uploads.size() >= MAX_UPLOAD_QUEUE) {
                return false;
            }
            uploads.add(block);
            work.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The peer sent {@code cancel}: the block is no longer owed, if it has not gone out yet.
     * True when it was still waiting (a peer with the fast extension is then told so with a
     * reject, BEP 6).
     */
    boolean cancelUpload(Block block) {
        lock.lock();
        try {
            boolean waiting = uploads.remove(block);
            if (block.equals(reserved)) {
                dropReserved();
                waiting = true;
            }
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /**
     * We choke the peer: BEP 3 says its pending requests are dropped, so the owed blocks are
     * forgotten and the choke message queued, in that order, under one lock.
     */
    void choke(PeerMessage choke) {
        choke(choke, block -> false, false);
    }

    /**
     * We choke a peer that speaks the fast extension (BEP 6): a choke no longer drops its
     * requests by itself, so each owed block that is not {@code stillServed} (pieces of the
     * allowed-fast set are served even while choked) is dropped and explicitly rejected,
     * right after the choke, under one lock.
     */
    void choke(PeerMessage choke, Predicate<Block> stillServed, boolean reject) {
        lock.lock();
        try {
            List<Block> dropped = new ArrayList<>();
            uploads.removeIf(b -> !stillServed.test(b) && dropped.add(b));
            if (reserved != null && !stillServed.test(reserved)) {
                dropped.add(reserved);
                dropReserved();
            }
            if (!closed) {
                messages.add(choke);
                if (reject) {
                    dropped.forEach(b -> messages.add(new PeerMessage.Reject(b.piece(), b.begin(), b.length())));
                }
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many messages of {@code type} wait to go out: a bound on what a peer may make us queue. */
    int queued(Class<? extends PeerMessage> type) {
        lock.lock();
        try {
            int n = 0;
            for (PeerMessage m : messages) {
                if (type.isInstance(m)) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** The reserved block will not go out: its tokens go back to the limits, for other peers. */
    private void dropReserved() {
        if (reserved != null) {
            for (TokenBucket b : uploadLimits) {
                b.refund(reserved.length());
            }
            reserved = null;
        }
    }

    /** The messages queued and not yet written, oldest first (for tests). */
    List<PeerMessage> queued() {
        lock.lock();
        try {
            return List.copyOf(messages);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a keep-alive if nothing has gone out for {@code keepAliveMillis}. */
    void keepAliveIfQuiet(long nowMillis, long keepAliveMillis) {
        if (nowMillis - lastWriteMillis >= keepAliveMillis) {
            lastWriteMillis = nowMillis; // one keep-alive, not one per check while it is queued
            send(new PeerMessage.KeepAlive());
        }
    }

    /** Stops the writer; what is still queued is not sent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            messages.clear();
            uploads.clear();
            dropReserved();
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer thread's loop: until closed, or until the socket fails (then the reader sees
     * it closed too). Under an upload limit, the block at the head of the queue takes its
     * tokens at once, going into debt, and waits until the debt is repaid; messages that arrive
     * meanwhile go out at once, so our requests to the peer are never stuck behind our uploads
     * to it. Reserving makes the writers that share a limit take turns, one block each in the
     * order they asked. Waiting until the bucket merely held enough tokens did not: whichever
     * writer happened to wake first took them, and a peer the choker had unchoked could get a
     * quarter of its share, or nothing for seconds while the others were served.
     */
    void run() throws IOException, InterruptedException {
        byte[] block = new byte[PieceGeometry.BLOCK_SIZE];
        List<PeerMessage> batch = new ArrayList<>();
        while (true) {
            Block upload = null;
            lock.lock();
            try {
                while (messages.isEmpty() && !closed) {
                    if (reserved == null) {
                        if (uploads.isEmpty()) {
                            work.await();
                            continue;
                        }
                        reserved = uploads.poll();
                        long wait = 0;
                        for (TokenBucket b : uploadLimits) {
                            wait = Math.max(wait, b.reserve(reserved.length()));
                        }
                        reservedUntil = System.nanoTime() + wait;
                    }
                    long wait = reservedUntil - System.nanoTime();
                    if (wait <= 0) {
                        upload = reserved;
                        reserved = null;
                        break;
                    }
                    work.awaitNanos(wait); // or sooner, for a message
                }
                if (closed) {
                    return;
                }
                batch.addAll(messages);
                messages.clear();
            } finally {
                lock.unlock();
            }
            MessageCodec now = codec.get();
            for (PeerMessage m : batch) {
                if (m instanceof ExtensionMessage e && !remoteExtensions.get().canSend(e)) {
                    continue; // libtorrent and aria2 drop a peer that gets a message on an id it does not know
                }
                now.write(out, m, remoteExtensions.get());
                trace(m);
            }
            batch.clear();
            if (upload != null) {
                send(upload, block);
            }
            if (!hasWorkNow()) {
                out.flush(); // nothing more to add to this write: send what is buffered
                lastWriteMillis = System.currentTimeMillis();
            }
        }
    }

    /** Reads an owed block from disk and sends it as a piece message, without copying it again. */
    private void send(Block b, byte[] buffer) throws IOException {
        blocks.read(b, buffer);
        codec.get().writePiece(out, b.piece(), b.begin(), buffer, 0, b.length());
        for (RateMeter meter : uploadMeters) {
            meter.add(b.length());
        }
        if (trace.enabled()) {
            trace(new PeerMessage.Piece(b.piece(), b.begin(), Arrays.copyOf(buffer, b.length())));
        }
    }

    /** Whether something can be written without waiting: a message, or a block the limits allow now. */
    private boolean hasWorkNow() {
        lock.lock();
        try {
            return !messages.isEmpty() || (reserved != null ? reservedUntil <= System.nanoTime()
                    : !uploads.isEmpty() && TokenBucket.delayFor(uploads.peek().length(), uploadLimits) == 0);
        } finally {
            lock.unlock();
        }
    }

    private void trace(PeerMessage m) {
        if (trace.enabled()) {
            trace.message(peer, true, m);
        }
    }
}
