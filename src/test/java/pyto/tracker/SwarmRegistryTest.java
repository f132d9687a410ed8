package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

class SwarmRegistryTest {

    static final InfoHash A = hash(1);
    static final InfoHash B = hash(2);
    static final Duration EXPIRY = Duration.ofSeconds(60);

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2024-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final HandClock clock = new HandClock();
    private final SwarmRegistry registry = new SwarmRegistry(clock, EXPIRY, 1000);

    static InfoHash hash(int n) {
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) n);
        return new InfoHash(b);
    }

    /** Peer n: 10.0.0.n, port 6880 + n, peer id filled with n; a seed when {@code seed}. */
    static SwarmRegistry.Peer peer(int n, boolean seed) {
        byte[] id = new byte[20];
        Arrays.fill(id, (byte) n);
        try {
            return new SwarmRegistry.Peer(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n}), 6880 + n), id, seed);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<InetSocketAddress> announce(InfoHash h, int n, boolean seed, Event event, int numWant) {
        return registry.announce(h, peer(n, seed), event, numWant).orElseThrow()
                .peers().stream().map(SwarmRegistry.Peer::address).toList();
    }

    @Test
    void peersSeeEachOtherButNeverThemselves() {
        assertThat(announce(A, 1, false, Event.STARTED, 50)).isEmpty();
        assertThat(announce(A, 2, false, Event.STARTED, 50)).containsExactly(peer(1, false).address());
        assertThat(announce(A, 3, true, Event.STARTED, 50)).containsExactlyInAnyOrder(peer(1, false).address(), peer(2, false).address());
        assertThat(announce(A, 1, false, Event.NONE, 50)).containsExactlyInAnyOrder(peer(2, false).address(), peer(3, true).address());
        assertThat(announce(B, 4, false, Event.STARTED, 50)).as("another torrent's swarm").isEmpty();
    }

    @Test
    void aPeerWithOurIdOnAnotherPortIsNotReturnedToUs() {
        SwarmRegistry.Peer one = peer(1, false);
        registry.announce(A, one, Event.STARTED, 50);
        SwarmRegistry.Peer sameIdNewPort = new SwarmRegistry.Peer(new InetSocketAddress(one.address().getAddress(), 9999), one.peerId(), false);
        assertThat(registry.announce(A, sameIdNewPort, Event.STARTED, 50).orElseThrow().peers()).isEmpty();
    }

    @Test
    void numWantLimitsThePeersReturned() {
        for (int n = 1; n <= 10; n++) {
            announce(A, n, false, Event.STARTED, 0);
        }
        assertThat(announce(A, 11, false, Event.STARTED, 4)).hasSize(4).doesNotContain(peer(11, false).address());
        assertThat(announce(A, 11, false, Event.NONE, 0)).isEmpty();
    }

    @Test
    void countsSeedsLeechersAndCompletedDownloads() {
        announce(A, 1, true, Event.STARTED, 50);
        announce(A, 2, false, Event.STARTED, 50);
        announce(A, 3, false, Event.STARTED, 50);
        assertThat(registry.counts(A)).isEqualTo(new ScrapeResponse(1, 2, 0));
        announce(A, 2, true, Event.COMPLETED, 50);
        announce(A, 2, true, Event.COMPLETED, 50); // said twice, counted once
        assertThat(registry.counts(A)).isEqualTo(new ScrapeResponse(2, 1, 1));
        assertThat(registry.counts(B)).isEqualTo(new ScrapeResponse(0, 0, 0));
        assertThat(registry.allCounts()).containsOnlyKeys(A);
    }

    @Test
    void stoppedRemovesThePeer() {
        announce(A, 1, false, Event.STARTED, 50);
        announce(A, 2, false, Event.STARTED, 50);
        SwarmRegistry.Answer answer = registry.announce(A, peer(1, false), Event.STOPPED, 50).orElseThrow();
        assertThat(answer.peers()).isEmpty();
        assertThat(registry.counts(A)).isEqualTo(new ScrapeResponse(0, 1, 0));
        assertThat(announce(A, 2, false, Event.NONE, 50)).isEmpty();
    }

    @Test
    void silentPeersExpire() {
        announce(A, 1, false, Event.STARTED, 50);
        clock.advance(Duration.ofSeconds(40));
        announce(A, 2, false, Event.STARTED, 50);
        clock.advance(Duration.ofSeconds(30)); // peer 1 silent for 70 s, peer 2 for 30 s
        assertThat(announce(A, 3, false, Event.STARTED, 50)).containsExactly(peer(2, false).address());
        clock.advance(Duration.ofSeconds(59));
        assertThat(registry.counts(A)).isEqualTo(new ScrapeResponse(0, 1, 0)); // peer 3 only
        clock.advance(Duration.ofSeconds(2));
        registry.expire();
        assertThat(registry.allCounts()).isEmpty(); // the swarm went with its last peer
    }

    @Test
    void aFullRegistryRefusesNewPeersButServesKnownOnes() {
        SwarmRegistry small = new SwarmRegistry(clock, EXPIRY, 2);
        assertThat(small.announce(A, peer(1, false), Event.STARTED, 50)).isPresent();
        assertThat(small.announce(B, peer(2, false), Event.STARTED, 50)).isPresent();
        assertThat(small.announce(A, peer(3, false), Event.STARTED, 50)).isEmpty();
        assertThat(small.announce(A, peer(1, false), Event.NONE, 50)).isPresent();
        small.announce(B, peer(2, false), Event.STOPPED, 50);
        assertThat(small.announce(A, peer(3, false), Event.STARTED, 50)).isPresent();
    }
}
