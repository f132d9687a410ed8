package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void aBurstThenAFewPerSecondPerSource() {
        RateLimiter limiter = new RateLimiter(clock, 10, 5, 1000, 0);
        InetSocketAddress flooder = new InetSocketAddress("203.0.113.9", 6881);
        InetSocketAddress other = new InetSocketAddress("203.0.113.10", 6881);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            allowed += limiter.allowFrom(flooder) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(10);
        assertThat(limiter.allowFrom(other)).as("another source is not touched").isTrue();
        clock.advance(Duration.ofSeconds(1));
        allowed = 0;
        for (int i = 0; i < 1000; i++) {
            allowed += limiter.allowFrom(flooder) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void anotherPortOfOneInternetHostIsTheSameSourceButNotOnLoopback() {
        RateLimiter limiter = new RateLimiter(clock, 1, 1, 1000, 0);
        assertThat(limiter.allowFrom(new InetSocketAddress("203.0.113.9", 1))).isTrue();
        assertThat(limiter.allowFrom(new InetSocketAddress("203.0.113.9", 2))).isFalse();
        assertThat(limiter.allowFrom(new InetSocketAddress("127.0.0.1", 1))).isTrue();
        assertThat(limiter.allowFrom(new InetSocketAddress("127.0.0.1", 2))).isTrue();
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfSources() {
        RateLimiter limiter = new RateLimiter(clock, 10, 5, 100, 0);
        for (int i = 0; i < 10_000; i++) {
            limiter.allowFrom(new InetSocketAddress("198.51." + (i >> 8 & 0xff) + "." + (i & 0xff), 6881));
        }
        assertThat(limiter.trackedSources()).isEqualTo(100);
    }

    @Test
    void theGlobalCapDropsRepliesAndDelaysQueries() {
        RateLimiter limiter = new RateLimiter(clock, 10, 5, 100, 100); // burst of max(16, 25) = 25
        int sent = 0;
        for (int i = 0; i < 1000; i++) {
            sent += limiter.allowSend() ? 1 : 0;
        }
        assertThat(sent).isEqualTo(25);
        assertThat(limiter.reserveSend()).isEqualTo(10_000_000L); // one packet: 10 ms at 100/s
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.allowSend()).isTrue();
    }
}
