package pyto.metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import pyto.metainfo.SourceFiles.SourceFile;

/**
 * Reads a torrent's content as BEP 3 sees it, the files laid end to end, from any point onward,
 * across file boundaries, with positional reads and one file open at a time.
 * Used by one thread; each hashing thread has its own.
 */
final class ContentReader implements AutoCloseable {

    private final List<SourceFile> files;
    private int index;
    private long positionInFile;
    private FileChannel channel; // open on files.get(index), or null

    /** A reader whose first byte is byte {@code start} of the content. */
    ContentReader(List<SourceFile> files, long start) {
        this.files = files;
        long offset = 0;
        while (index < files.size() && offset + files.get(index).length() <= start) {
            offset += files.get(index).length();
            index++;
        }
        positionInFile = start - offset;
    }

    /** Fills {@code buffer} up to its limit with the next bytes of the content. */
    void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (index >= files.size()) {
                throw new IOException("read past the end of the content");
            }
            SourceFile file = files.get(index);
            long leftInFile = file.length() - positionInFile;
            if (leftInFile == 0) {
                closeChannel();
                index++;
                positionInFile = 0;
                continue;
            }
            if (channel == null) {
                // The file was a regular file when scanned; if a link has replaced it since, do not follow it.
                channel = FileChannel.open(file.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            }
            int limit = buffer.limit();
            if (buffer.remaining() > leftInFile) {
                buffer.limit(buffer.position() + (int) leftInFile);
            }
            int read = channel.read(buffer, positionInFile);
            buffer.limit(limit);
            if (read < 0) {
                throw new IOException(file.file() + " is shorter than the " + file.length()
                        + " bytes it had when scanned; did it change while it was hashed?");
            }
            positionInFile += read;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
