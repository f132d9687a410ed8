package pyto.tracker;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A tracker's host name looked up in DNS within a time limit. The JDK's lookup has no timeout
 * of its own (it waits as long as the system's resolver retries, which can be minutes), and
 * an interrupt does not cut it short; so the lookup runs on a virtual thread of its own and
 * the caller stops waiting when the time is up. That thread then ends when the resolver
 * gives up; it holds nothing of ours. IP literals are never sent to DNS.
 *
 * <p>Called on an announcer's thread; thread-safe.
 */
final class HostLookup {

    /** How a name becomes an address: the JDK's resolver, or a test's. */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    static final HostLookup SYSTEM = new HostLookup(InetAddress::getByName);

    private final Resolver resolver;

    HostLookup(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The address of {@code host} (a name, or an IP literal, IPv6 with or without brackets). */
    InetAddress resolve(String host, Duration timeout) throws IOException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        var literal = IpLiteral.parse(bare);
        if (literal.isPresent()) {
            return literal.get();
        }
        CompletableFuture<InetAddress> lookup = new CompletableFuture<>();
        Thread.ofVirtual().name("dns " + bare).start(() -> {
            try {
                lookup.complete(resolver.resolve(bare));
            } catch (Throwable e) {
                lookup.completeExceptionally(e);
            }
        });
        try {
            return lookup.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UnknownHostException("cannot resolve tracker host " + bare + ": no answer from DNS within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw new UnknownHostException("cannot resolve tracker host " + bare
                        + (u.getMessage() != null && !u.getMessage().equals(bare) ? ": " + u.getMessage() : ""));
            }
            throw new IOException("cannot resolve tracker host " + bare + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while resolving " + bare);
        }
    }
}
