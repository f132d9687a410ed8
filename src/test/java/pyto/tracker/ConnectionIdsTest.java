package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** BEP 15 connection ids that only their address can know, for one to two minutes. */
class ConnectionIdsTest {

    private final SwarmRegistryTest.HandClock clock = new SwarmRegistryTest.HandClock(); // starts on a whole minute
    private final ConnectionIds ids = new ConnectionIds(clock);

    @Test
    void anIdIsAcceptedFromItsAddressInItsMinuteAndTheNext() throws Exception {
        InetAddress home = InetAddress.getByName("10.0.0.1");
        clock.advance(Duration.ofSeconds(30));
        long id = ids.issue(home);
        assertThat(ids.accepts(id, home)).isTrue();
        assertThat(ids.issue(home)).as("the same within the minute").isEqualTo(id);
        clock.advance(Duration.ofSeconds(89)); // 1:59 on the clock
        assertThat(ids.accepts(id, home)).isTrue();
        assertThat(ids.issue(home)).as("a new minute, a new id").isNotEqualTo(id);
        clock.advance(Duration.ofSeconds(1)); // 2:00: two windows later
        assertThat(ids.accepts(id, home)).isFalse();
    }

    @Test
    void anIdIsRefusedFromAnyOtherAddress() throws Exception {
        long id = ids.issue(InetAddress.getByName("10.0.0.1"));
        assertThat(ids.accepts(id, InetAddress.getByName("10.0.0.2"))).isFalse();
        assertThat(ids.accepts(id, InetAddress.getByName("::ffff:a00:1"))).as("the same address, IPv4-mapped, is 10.0.0.1").isTrue();
        assertThat(ids.accepts(id, InetAddress.getByName("2001:db8::1"))).isFalse();
        assertThat(ids.accepts(id + 1, InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void anotherServerMakesOtherIds() throws Exception {
        InetAddress home = InetAddress.getByName("10.0.0.1");
        ConnectionIds other = new ConnectionIds(clock);
        assertThat(other.issue(home)).as("each server has its own key").isNotEqualTo(ids.issue(home));
        assertThat(other.accepts(ids.issue(home), home)).isFalse();
    }
}
