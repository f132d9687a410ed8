package pyto.dht;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import pyto.bencode.BString;

/**
 * The tokens of get_peers and announce_peer (BEP 5): a get_peers answer carries a token made
 * from the asker's IP and a secret; an announce_peer must bring it back from the same IP. So
 * nobody can announce a host other than itself, nor announce without asking first.
 *
 * <p>The secret changes every {@value #ROTATION_MINUTES} minutes and the previous one is still
 * accepted, so a token lives 5 to 10 minutes, as BEP 5 suggests. Nothing is stored per asker.
 * Called by the node's reader thread; a lock guards the secrets.
 */
final class Tokens {

    static final int ROTATION_MINUTES = 5;
    private static final Duration ROTATION = Duration.ofMinutes(ROTATION_MINUTES);
    private static final int SECRET_BYTES = 16;
    private static final int TOKEN_BYTES = 8;

    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] current;
    private byte[] previous;
    private Instant rotated;

    Tokens(InstantSource clock) {
        this.clock = clock;
        this.current = newSecret();
        this.previous = newSecret();
        this.rotated = clock.instant();
    }

    /** The token for {@code asker} now. */
    BString issue(InetAddress asker) {
        return new BString(token(secrets()[0], asker));
    }

    /** Whether {@code token} is one we gave {@code asker} within the last two secrets. */
    boolean isValid(BString token, InetAddress asker) {
        byte[][] secrets = secrets();
        byte[] given = token.bytes();
        return MessageDigest.isEqual(given, token(secrets[0], asker))
                || MessageDigest.isEqual(given, token(secrets[1], asker));
    }

    /** {current, previous}, rotated first if their time has come. */
    private byte[][] secrets() {
        lock.lock();
        try {
            long periods = Duration.between(rotated, clock.instant()).dividedBy(ROTATION);
            if (periods >= 1) {
                // after more than one period, the previous secret is stale too
                previous = periods == 1 ? current : newSecret();
                current = newSecret();
                rotated = rotated.plus(ROTATION.multipliedBy(periods));
            }
            return new byte[][] {current, previous};
        } finally {
            lock.unlock();
        }
    }

    private byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    // the first 8 bytes of SHA-1(secret || ip)
    private static byte[] token(byte[] secret, InetAddress asker) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(asker.getAddress());
            return Arrays.copyOf(sha1.digest(), TOKEN_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
