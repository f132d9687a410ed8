package pyto.peer;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import pyto.concurrent.TokenBucket;

/**
 * A peer socket's raw streams, slowed to the rate limits in force: every byte read or written
 * is taken from token buckets (the torrent's and the session's) first. Reading slowly is
 * enough to limit a download: TCP's flow control makes the sender wait.
 *
 * <p>The buckets can change while the connection runs (an incoming peer learns its torrent
 * only after the handshake). Unlimited buckets cost nothing but a check.
 */
final class Throttled {

    /** The most moved at once under a limit, so one big read or write cannot burst past it. */
    private static final int CHUNK = 16 * 1024;

    private Throttled() {
    }

    static final class In extends FilterInputStream {
        private volatile List<TokenBucket> buckets = List.of();

        In(InputStream in) {
            super(in);
        }

        void limit(List<TokenBucket> limits) {
            buckets = List.copyOf(limits);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                pay(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            boolean limited = isLimited(buckets);
            int n = super.read(b, off, limited ? Math.min(len, CHUNK) : len);
            if (n > 0 && limited) {
                pay(n);
            }
            return n;
        }

        private void pay(int n) throws IOException {
            TokenBucket.take(n, buckets.toArray(TokenBucket[]::new));
        }
    }

    static final class Out extends FilterOutputStream {
        private volatile List<TokenBucket> buckets = List.of();

        Out(OutputStream out) {
            super(out);
        }

        void limit(List<TokenBucket> limits) {
            buckets = List.copyOf(limits);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            List<TokenBucket> limits = buckets;
            if (!isLimited(limits)) {
                out.write(b, off, len);
                return;
            }
            for (int done = 0; done < len; ) {
                int n = Math.min(CHUNK, len - done);
                TokenBucket.take(n, limits.toArray(TokenBucket[]::new));
                out.write(b, off + done, n);
                done += n;
            }
        }
    }

    private static boolean isLimited(List<TokenBucket> buckets) {
        for (TokenBucket b : buckets) {
            if (b.rate() > 0) {
                return true;
            }
        }
        return false;
    }
}
