package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pyto.metainfo.InfoHash;

class PeerStoreTest {

    private final FakeClock clock = new FakeClock();

    private static InfoHash hash(int n) {
        byte[] b = new byte[20];
        b[0] = (byte) (n >> 8);
        b[1] = (byte) n;
        return new InfoHash(b);
    }

    private static InetSocketAddress peer(int n) {
        return new InetSocketAddress("10.0." + (n >> 8 & 0xff) + "." + (n & 0xff), 6881);
    }

    @Test
    void boundedInTorrentsAndPeersPerTorrent() {
        PeerStore store = new PeerStore(clock, 3, 5, Duration.ofMinutes(30));
        for (int t = 0; t < 3; t++) {
            assertThat(store.add(hash(t), peer(1))).isTrue();
        }
        assertThat(store.add(hash(99), peer(1))).as("a fourth torrent").isFalse();
        for (int p = 0; p < 20; p++) {
            store.add(hash(0), peer(p));
        }
        assertThat(store.peers(hash(0), 100)).hasSize(5).contains(peer(19)).doesNotContain(peer(0));
        assertThat(store.peerCount()).isEqualTo(5 + 2);
        assertThat(store.infoHashCount()).isEqualTo(3);
    }

    @Test
    void repliesHoldAtMostTheAskedNumber() {
        PeerStore store = new PeerStore(clock, 10, 500, Duration.ofMinutes(30));
        for (int p = 0; p < 300; p++) {
            store.add(hash(1), peer(p));
        }
        assertThat(store.peers(hash(1), 50)).hasSize(50).doesNotHaveDuplicates();
        assertThat(store.peers(hash(2), 50)).isEmpty();
    }

    @Test
    void peersExpireUnlessTheyAnnounceAgain() {
        PeerStore store = new PeerStore(clock, 10, 500, Duration.ofMinutes(30));
        store.add(hash(1), peer(1));
        store.add(hash(1), peer(2));
        clock.advance(Duration.ofMinutes(20));
        store.add(hash(1), peer(2)); // announces again
        clock.advance(Duration.ofMinutes(15));
        assertThat(store.peers(hash(1), 50)).containsExactly(peer(2));
        store.expire();
        assertThat(store.peerCount()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(30));
        store.expire();
        assertThat(store.infoHashCount()).isZero();
        assertThat(store.peerCount()).isZero();
    }

    @Test
    void aFullStoreMakesRoomOnceTorrentsExpire() {
        PeerStore store = new PeerStore(clock, 1, 5, Duration.ofMinutes(30));
        store.add(hash(1), peer(1));
        assertThat(store.add(hash(2), peer(1))).isFalse();
        clock.advance(Duration.ofMinutes(31));
        assertThat(store.add(hash(2), peer(1))).isTrue();
        assertThat(store.sample(20)).containsExactly(hash(2));
    }
}
