package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** DNS lookups of tracker hosts are bounded in time, as every other step of an announce. */
class HostLookupTest {

    /** A resolver that never answers: a DNS server that drops our packets. */
    private static HostLookup.Resolver hanging(CountDownLatch asked) {
        return host -> {
            asked.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        };
    }

    @Test
    void anHttpAnnounceGivesUpOnASilentDnsServerWithinItsConnectTimeout() {
        CountDownLatch asked = new CountDownLatch(1);
        HttpGet get = new HttpGet(Duration.ofMillis(300), Duration.ofSeconds(5), 1 << 20, new HostLookup(hanging(asked)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> get.get(URI.create("http://tracker.example.org:6969/announce"),
                Instant.now().plusSeconds(60)))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("tracker.example.org").hasMessageContaining("no answer from DNS");
        assertThat(asked.getCount()).as("the resolver was asked").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void ipLiteralsNeverGoToDns() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HostLookup lookup = new HostLookup(host -> {
            asked.incrementAndGet();
            throw new UnknownHostException(host);
        });
        assertThat(lookup.resolve("127.0.0.1", Duration.ofSeconds(1))).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(lookup.resolve("[::1]", Duration.ofSeconds(1)).isLoopbackAddress()).isTrue();
        assertThat(asked).hasValue(0);
    }

    @Test
    void anUnknownHostIsOneClearLine() {
        HostLookup lookup = new HostLookup(host -> {
            throw new UnknownHostException(host + ": Name or service not known");
        });
        assertThatThrownBy(() -> lookup.resolve("nowhere.invalid", Duration.ofSeconds(1)))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("cannot resolve tracker host nowhere.invalid: nowhere.invalid: Name or service not known");
    }
}
