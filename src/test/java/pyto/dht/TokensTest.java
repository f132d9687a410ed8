package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pyto.bencode.BString;

class TokensTest {

    private final FakeClock clock = new FakeClock();
    private final Tokens tokens = new Tokens(clock);

    @Test
    void aTokenIsGoodForItsIpAcrossOneSecretChangeButNotTwo() throws Exception {
        InetAddress asker = InetAddress.getByName("203.0.113.7");
        BString token = tokens.issue(asker);
        assertThat(tokens.isValid(token, asker)).isTrue();
        assertThat(tokens.isValid(token, InetAddress.getByName("203.0.113.8"))).isFalse();
        clock.advance(Duration.ofMinutes(4));
        assertThat(tokens.isValid(token, asker)).isTrue();
        clock.advance(Duration.ofMinutes(2)); // the secret changed: the previous one still counts
        assertThat(tokens.isValid(token, asker)).isTrue();
        assertThat(tokens.issue(asker)).isNotEqualTo(token);
        clock.advance(Duration.ofMinutes(5)); // changed twice: too old
        assertThat(tokens.isValid(token, asker)).isFalse();
    }

    @Test
    void aLongPauseRetiresBothSecrets() throws Exception {
        InetAddress asker = InetAddress.getByName("203.0.113.7");
        BString token = tokens.issue(asker);
        clock.advance(Duration.ofHours(3));
        assertThat(tokens.isValid(token, asker)).isFalse();
        BString fresh = tokens.issue(asker);
        assertThat(tokens.isValid(fresh, asker)).isTrue();
    }

    @Test
    void junkTokensAreRefused() throws Exception {
        InetAddress asker = InetAddress.getByName("127.0.0.1");
        assertThat(tokens.isValid(BString.of(""), asker)).isFalse();
        assertThat(tokens.isValid(BString.of("aoeusnth"), asker)).isFalse();
    }
}
