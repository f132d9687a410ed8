package pyto.tracker;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The connection ids the embedded UDP tracker hands out (BEP 15), without remembering any.
 *
 * <p>A connection id proves that whoever sends an announce also receives at its source
 * address; otherwise anyone could add a forged address to a swarm, or make the tracker send
 * peer lists to a victim. The id is an HMAC-SHA256, under a random key of this server, of the
 * source IP and the current minute, cut to 64 bits: only a host that got it back at that
 * address can know it. It stays valid in the minute it was made and the next, so between one
 * and two minutes, as BEP 15 asks ("accepted for two minutes").
 *
 * <p>The source port is left out on purpose: a client may use a new socket, so a new port, for
 * each request (ours does), and knowing the id proves the address either way.
 *
 * <p>Immutable after construction; safe from any thread.
 */
final class ConnectionIds {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final SecretKeySpec key;
    private final Clock clock;

    ConnectionIds(Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
    }

    /** A connection id for {@code source}, valid from now for one to two minutes. */
    long issue(InetAddress source) {
        return id(source, window());
    }

    /** Whether {@code id} was issued to {@code source} in this window or the one before. */
    boolean accepts(long id, InetAddress source) {
        long now = window();
        // both are computed, so the time taken does not tell which one matched
        boolean current = id == id(source, now);
        boolean previous = id == id(source, now - 1);
        return current | previous;
    }

    private long window() {
        return Math.floorDiv(clock.millis(), WINDOW.toMillis());
    }

    private long id(InetAddress source, long window) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // a Mac is not thread-safe, and cheap to make
            mac.init(key);
            mac.update(source.getAddress());
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(window).array());
            return ByteBuffer.wrap(mac.doFinal()).getLong();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
