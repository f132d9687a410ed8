package pyto.peer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import pyto.concurrent.TokenBucket;

/**
 * A peer socket's raw input, slowed to the download limits in force: every byte read is
 * taken from token buckets (the torrent's and the session's) first. Reading slowly is enough
 * to limit a download: TCP's flow control makes the sender wait. (Uploads are limited where
 * blocks are sent, in {@link PeerWriter}, so that our own small messages never wait.)
 *
 * <p>The buckets can change while the connection runs: an incoming peer learns its torrent
 * only after the handshake. Unlimited buckets cost nothing but a check.
 */
final class ThrottledInput extends FilterInputStream {

    /** The most read at once under a limit, so one big read cannot burst past it. */
    private static final int CHUNK = 16 * 1024;

    private volatile TokenBucket[] buckets = {};
    private volatile long lastReadMillis = System.currentTimeMillis();

    ThrottledInput(InputStream in) {
        super(in);
    }

    /** When bytes last came in. */
    long lastReadMillis() {
        return lastReadMillis;
    }

    void limit(List<TokenBucket> limits) {
        buckets = limits.toArray(TokenBucket[]::new);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            lastReadMillis = System.currentTimeMillis();
            TokenBucket.take(1, buckets);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        TokenBucket[] limits = buckets;
        boolean limited = isLimited(limits);
        int n = super.read(b, off, limited ? Math.min(len, CHUNK) : len);
        if (n > 0) {
            lastReadMillis = System.currentTimeMillis(); // once per read from the socket, not per message
            if (limited) {
                TokenBucket.take(n, limits);
            }
        }
        return n;
    }

    private static boolean isLimited(TokenBucket[] buckets) {
        for (TokenBucket b : buckets) {
            if (b.rate() > 0) {
                return true;
            }
        }
        return false;
    }
}
