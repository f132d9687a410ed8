package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.bencode.BString;

class TransactionsTest {

    private final FakeClock clock = new FakeClock();
    private final InetSocketAddress node = new InetSocketAddress("127.0.0.1", 7001);

    @Test
    void anAnswerMatchesByIdAndAddress() {
        Transactions transactions = new Transactions(clock, 10);
        BString tid = transactions.open(node, Duration.ofSeconds(2), o -> { }).orElseThrow();
        assertThat(tid.length()).isEqualTo(2);
        assertThat(transactions.close(tid, new InetSocketAddress("127.0.0.1", 7002))).as("another address").isEmpty();
        assertThat(transactions.close(BString.of("zz"), node)).as("another id").isEmpty();
        assertThat(transactions.close(tid, node)).isPresent();
        assertThat(transactions.close(tid, node)).as("a second answer").isEmpty();
    }

    @Test
    void boundedAndExpiring() {
        Transactions transactions = new Transactions(clock, 3);
        List<Transactions.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(transactions.open(node, Duration.ofSeconds(2 + i), outcomes::add)).isPresent();
        }
        assertThat(transactions.open(node, Duration.ofSeconds(2), outcomes::add)).isEmpty();
        clock.advance(Duration.ofSeconds(3));
        List<Transactions.Pending> expired = transactions.expire();
        assertThat(expired).hasSize(2);
        assertThat(transactions.size()).isEqualTo(1);
        assertThat(transactions.open(node, Duration.ofSeconds(2), outcomes::add)).isPresent();
    }
}
