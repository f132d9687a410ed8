package pyto.session;

/**
 * Download and upload limits in bytes per second, for a whole session or one torrent;
 * 0 means no limit. They apply to everything on the peer connections, protocol included.
 */
public record RateLimits(long downloadBytesPerSecond, long uploadBytesPerSecond) {

    public static final RateLimits UNLIMITED = new RateLimits(0, 0);

    public RateLimits {
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit cannot be negative");
        }
    }
}
