package pyto.storage;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded cache of open file channels, one per torrent file, shared by every thread that
 * reads or writes the torrent: peer threads serving and storing blocks, hashing threads.
 * Opening a file per block would cost two system calls per 16 KiB; keeping every file open
 * would run out of descriptors on a torrent of thousands of files. So at most
 * {@code capacity} stay open, and the least recently used is closed first.
 *
 * <p>The lock guards only the map; opening, reading, writing and closing happen outside it.
 * A channel in use is never closed by eviction: it is counted while in use and closed when
 * its last user lets go.
 *
 * <p><b>The interrupt trap.</b> {@code FileChannel} is an {@code InterruptibleChannel}: when
 * a thread is interrupted while in (or entering) a read or write on it, the JDK closes the
 * channel, for every thread. The interrupted thread gets {@code ClosedByInterruptException};
 * any other thread using the same channel gets {@code AsynchronousCloseException}, or
 * {@code ClosedChannelException} on its next call. Peers are torn down by interrupting their
 * threads, so this happens in normal operation. {@link #withChannel} therefore drops a
 * channel it finds closed; in a thread that was not interrupted it opens the file again and
 * retries, and in the interrupted thread it lets the exception through, because that thread
 * is being told to stop.
 */
final class FileHandles implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileHandles.class.getName());

    /** Retries after another thread's interrupt closed our channel; more than one can race. */
    private static final int MAX_ATTEMPTS = 5;

    /** One I/O operation on an open channel; may run more than once, so it must be repeatable. */
    @FunctionalInterface
    interface ChannelOp {
        void run(FileChannel channel) throws IOException;
    }

    /** An open channel; {@code users} and {@code retired} are guarded by the lock. */
    private static final class Handle {
        final int file;
        final FileChannel channel;
        final boolean writable;
        int users;
        boolean retired;

        Handle(int file, FileChannel channel, boolean writable) {
            this.file = file;
            this.channel = channel;
            this.writable = writable;
        }
    }

    private final SafeFiles files;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Integer, Handle> open = new LinkedHashMap<>(16, 0.75f, true);
    private final BitSet dirty = new BitSet(); // written since the last flush
    private boolean closed;

    FileHandles(SafeFiles files, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.files = files;
        this.capacity = capacity;
    }

    /**
     * Runs {@code op} on {@code file}'s channel, opened for writing (created if needed) when
     * {@code write}, else for reading. Retries on a fresh channel if another thread's
     * interrupt closed this one; propagates if this thread was interrupted.
     */
    void withChannel(int file, boolean write, ChannelOp op) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Handle handle = acquire(file, write);
            try {
                op.run(handle.channel);
                return;
            } catch (ClosedChannelException e) {
                retire(handle); // closed for everyone: the next user must reopen
                if (Thread.currentThread().isInterrupted() || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            } finally {
                release(handle);
            }
        }
    }

    /** Notes that {@code file} has been written, so that {@link #force()} syncs it. */
    void markDirty(int file) {
        lock.lock();
        try {
            dirty.set(file);
        } finally {
            lock.unlock();
        }
    }

    /** Forces every file written since the last call to disk, reopening any that were evicted. */
    void force() throws IOException {
        BitSet toSync;
        lock.lock();
        try {
            toSync = (BitSet) dirty.clone();
            dirty.clear();
        } finally {
            lock.unlock();
        }
        for (int file = toSync.nextSetBit(0); file >= 0; file = toSync.nextSetBit(file + 1)) {
            try {
                withChannel(file, true, channel -> channel.force(true));
            } catch (IOException e) {
                lock.lock();
                try {
                    toSync.clear(0, file); // keep this file and the ones not yet synced
                    dirty.or(toSync);
                } finally {
                    lock.unlock();
                }
                throw DiskErrors.describe(e, "syncing", files.path(file));
            }
        }
    }

    /** How many channels are open in the cache (for tests). */
    int openCount() {
        lock.lock();
        try {
            return open.size();
        } finally {
            lock.unlock();
        }
    }

    private Handle acquire(int file, boolean write) throws IOException {
        lock.lock();
        try {
            requireOpen();
            Handle cached = open.get(file);
            if (cached != null && (cached.writable || !write)) {
                cached.users++;
                return cached;
            }
        } finally {
            lock.unlock();
        }
        FileChannel fresh = write ? files.openForWrite(file) : files.openForRead(file);
        List<FileChannel> toClose = new ArrayList<>(2);
        lock.lock();
        try {
            if (closed) {
                toClose.add(fresh);
                requireOpen();
            }
            Handle handle = open.get(file);
            if (handle != null && (handle.writable || !write)) {
                toClose.add(fresh); // another thread opened it meanwhile
            } else {
                if (handle != null) {
                    retireLocked(handle, toClose); // read-only, and we need to write
                }
                handle = new Handle(file, fresh, write);
                open.put(file, handle);
                evictLocked(toClose);
            }
            handle.users++;
            return handle;
        } finally {
            lock.unlock();
            closeAll(toClose);
        }
    }

    private void release(Handle handle) {
        boolean close;
        lock.lock();
        try {
            handle.users--;
            close = handle.retired && handle.users == 0;
        } finally {
            lock.unlock();
        }
        if (close) {
            closeAll(List.of(handle.channel));
        }
    }

    private void retire(Handle handle) {
        List<FileChannel> toClose = new ArrayList<>(1);
        lock.lock();
        try {
            retireLocked(handle, toClose);
        } finally {
            lock.unlock();
        }
        closeAll(toClose);
    }

    private void retireLocked(Handle handle, List<FileChannel> toClose) {
        open.remove(handle.file, handle);
        if (!handle.retired) {
            handle.retired = true;
            if (handle.users == 0) {
                toClose.add(handle.channel);
            }
        }
    }

    private void evictLocked(List<FileChannel> toClose) {
        while (open.size() > capacity) {
            retireLocked(open.values().iterator().next(), toClose); // eldest first
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("storage is closed");
        }
    }

    /** Closes every cached channel; channels still in use close when their user lets go. */
    @Override
    public void close() {
        List<FileChannel> toClose = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Handle handle : List.copyOf(open.values())) {
                retireLocked(handle, toClose);
            }
        } finally {
            lock.unlock();
        }
        closeAll(toClose);
    }

    private static void closeAll(List<FileChannel> channels) {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a file failed", e);
            }
        }
    }
}
