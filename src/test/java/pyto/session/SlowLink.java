package pyto.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A slow network link for tests: a TCP relay on 127.0.0.1 that a downloader dials instead of
 * its peer. Each connection it accepts is forwarded to {@code target}; what comes back from the
 * target (the blocks) is paced to {@code bytesPerSecond} and can be held still, so a test can
 * catch a download half-way however fast loopback is. Requests towards the target pass at full
 * speed. The relay counts the bytes it delivered, across all its connections.
 *
 * <p>Runs on plain virtual threads of its own (an accept loop, two pumps per connection), not
 * on a pyto {@code Scope}, so it does not count in {@code Scope.liveThreads()}; {@link #close()}
 * ends them all. Public because the process tests in {@code pyto.cli} put it between two pyto
 * processes.
 */
public final class SlowLink implements AutoCloseable {

    private static final int CHUNK = 4 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long bytesPerSecond;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private boolean held;          // guarded by lock
    private long pacedSince;       // guarded by lock: nanoTime when pacing (re)started
    private long pacedBytes;       // guarded by lock: bytes paced since then

    private SlowLink(ServerSocket listener, InetSocketAddress target, long bytesPerSecond) {
        this.listener = listener;
        this.target = target;
        this.bytesPerSecond = bytesPerSecond;
        this.pacedSince = System.nanoTime();
    }

    /** Starts relaying connections on a free loopback port to {@code target}. */
    public static SlowLink to(InetSocketAddress target, long bytesPerSecond) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SlowLink link = new SlowLink(listener, target, bytesPerSecond);
        link.threads.execute(link::acceptLoop);
        return link;
    }

    /** Where the downloader should dial. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** Bytes delivered from the target to the downloaders so far. */
    public long delivered() {
        return delivered.get();
    }

    /** Stops delivering: connections stay open, bytes from the target wait. */
    public void hold() {
        lock.lock();
        try {
            held = true;
        } finally {
            lock.unlock();
        }
    }

    /** Delivers again, at the set pace from now on. */
    public void release() {
        lock.lock();
        try {
            held = false;
            pacedSince = System.nanoTime();
            pacedBytes = 0;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket downloader = listener.accept();
                sockets.add(downloader);
                threads.execute(() -> connect(downloader));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void connect(Socket downloader) {
        Socket peer = new Socket();
        sockets.add(peer);
        try {
            peer.connect(target, 5_000);
            threads.execute(() -> pump(downloader, peer, false));
            pump(peer, downloader, true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(downloader);
            closeQuietly(peer);
        }
    }

    /** Copies one direction until either side ends, then closes both, as a real link would. */
    private void pump(Socket from, Socket to, boolean paced) {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (paced) {
                    pace(n);
                }
                out.write(buffer, 0, n);
                out.flush();
                if (paced) {
                    delivered.addAndGet(n);
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side went away, or the link is closing
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Waits while held, then until sending {@code n} more bytes keeps to the rate. */
    private void pace(int n) throws InterruptedException {
        long due;
        lock.lock();
        try {
            while (held) {
                released.await();
            }
            pacedBytes += n;
            due = pacedSince + TimeUnit.SECONDS.toNanos(1) * pacedBytes / bytesPerSecond;
        } finally {
            lock.unlock();
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Closes the listener and every connection, and waits for the relay's threads to end. */
    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(SlowLink::closeQuietly);
        threads.shutdownNow(); // wakes pumps waiting on a hold
        threads.close();
    }
}
