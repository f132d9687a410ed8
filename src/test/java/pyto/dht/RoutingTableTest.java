package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pyto.dht.Bucket.State;

/** The routing table on a fake clock: ids written as the bits that matter, addresses made up. */
class RoutingTableTest {

    private static final NodeId OWN = NodeId.fromHex("0000000000000000000000000000000000000000");

    private final FakeClock clock = new FakeClock();
    private RoutingTable table;
    private int nextHost = 1;

    @BeforeEach
    void setUp() {
        table = new RoutingTable(OWN, clock);
    }

    /** An id whose first byte is {@code first}, unique in its last bytes. */
    private NodeId idStartingWith(int first) {
        byte[] b = new byte[20];
        b[0] = (byte) first;
        b[18] = (byte) (nextHost >> 8);
        b[19] = (byte) nextHost;
        return new NodeId(b);
    }

    /** A contact on its own public IP (one entry per IP applies). */
    private Contact contact(NodeId id) {
        int h = nextHost++;
        return new Contact(id, new InetSocketAddress("8." + (h >> 16 & 0xff) + "." + (h >> 8 & 0xff) + "." + (h & 0xff), 6881));
    }

    @Test
    void aBucketSplitsOnlyWhileItHoldsOurId() {
        // eight far nodes (first bit 1) fill the single bucket
        for (int i = 0; i < 8; i++) {
            assertThat(table.onResponse(contact(idStartingWith(0x80)), false)).isTrue();
        }
        assertThat(table.bucketCount()).isEqualTo(1);
        // a ninth node: the bucket holds our id, so it splits; the far ones go to bucket 0
        assertThat(table.onResponse(contact(idStartingWith(0x40)), false)).isTrue();
        assertThat(table.bucketCount()).isEqualTo(2);
        assertThat(table.bucket(0)).hasSize(8);
        assertThat(table.bucket(1)).hasSize(1);
        // bucket 0 (ids far from ours) is full and does not split: a newcomer waits as a replacement
        Contact spare = contact(idStartingWith(0xc0));
        assertThat(table.onResponse(spare, false)).isFalse();
        assertThat(table.bucketCount()).isEqualTo(2);
        assertThat(table.replacements(0)).containsExactly(spare);
        assertThat(table.size()).isEqualTo(9);
    }

    @Test
    void memoryIsBoundedByBucketsAndReplacementCaches() {
        for (int i = 0; i < 300; i++) {
            table.onResponse(contact(idStartingWith(0x01)), false); // all share exactly 7 bits with us
        }
        // splits down to bucket 7, which keeps eight and eight replacements; the rest is dropped
        assertThat(table.bucket(7)).hasSize(8);
        assertThat(table.replacements(7)).hasSize(8);
        assertThat(table.size()).isEqualTo(8);
        assertThat(table.bucketCount()).isEqualTo(9);
    }

    @Test
    void goodQuestionableBadFollowBep5() {
        Contact c = contact(idStartingWith(0x80));
        table.onResponse(c, false);
        assertThat(table.state(c.id())).contains(State.GOOD);
        clock.advance(Duration.ofMinutes(14));
        assertThat(table.state(c.id())).contains(State.GOOD);
        clock.advance(Duration.ofMinutes(2));
        assertThat(table.state(c.id())).contains(State.QUESTIONABLE);
        // a query from a node that answered us before makes it good again
        table.onQuery(c);
        assertThat(table.state(c.id())).contains(State.GOOD);
        assertThat(table.goodCount()).isEqualTo(1);
        // two unanswered queries in a row: bad, and left out of answers
        table.onFailure(c.address());
        assertThat(table.state(c.id())).contains(State.GOOD);
        table.onFailure(c.address());
        assertThat(table.state(c.id())).contains(State.BAD);
        assertThat(table.closest(c.id(), 8)).isEmpty();
        // an answer clears the failures
        table.onResponse(c, false);
        assertThat(table.state(c.id())).contains(State.GOOD);
    }

    @Test
    void aBadNodeMakesWayForItsReplacement() {
        table = new RoutingTable(NodeId.fromHex("ff00000000000000000000000000000000000000"), clock);
        List<Contact> first = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Contact c = contact(idStartingWith(0x00));
            first.add(c);
            table.onResponse(c, false);
        }
        table.onResponse(contact(idStartingWith(0xff)), false); // splits: bucket 0 holds the eight
        Contact spare = contact(idStartingWith(0x01));
        assertThat(table.onResponse(spare, false)).isFalse();
        assertThat(table.replacements(0)).containsExactly(spare);
        table.onFailure(first.get(3).address());
        table.onFailure(first.get(3).address());
        assertThat(table.bucket(0)).contains(spare).doesNotContain(first.get(3));
        assertThat(table.replacements(0)).isEmpty();
        assertThat(table.state(first.get(3).id())).isEmpty();
    }

    @Test
    void aBadNodeIsReplacedByANewcomerWhenNoReplacementWaits() {
        table = new RoutingTable(NodeId.fromHex("ff00000000000000000000000000000000000000"), clock);
        List<Contact> first = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Contact c = contact(idStartingWith(0x00));
            first.add(c);
            table.onResponse(c, false);
        }
        table.onResponse(contact(idStartingWith(0xff)), false);
        table.onFailure(first.get(0).address());
        table.onFailure(first.get(0).address());
        Contact newcomer = contact(idStartingWith(0x02));
        assertThat(table.wants(newcomer, false)).isTrue();
        assertThat(table.onResponse(newcomer, false)).isTrue();
        assertThat(table.bucket(0)).contains(newcomer).doesNotContain(first.get(0));
    }

    @Test
    void bep42VerifiedNodesArePreferred() {
        table = new RoutingTable(NodeId.fromHex("ff00000000000000000000000000000000000000"), clock);
        for (int i = 0; i < 8; i++) {
            table.onResponse(contact(idStartingWith(0x00)), false);
        }
        table.onResponse(contact(idStartingWith(0xff)), false);
        Contact unverified = contact(idStartingWith(0x03));
        assertThat(table.wants(unverified, false)).isFalse();
        Contact verified = contact(idStartingWith(0x04));
        assertThat(table.wants(verified, true)).isTrue();
        assertThat(table.onResponse(verified, true)).isTrue();
        assertThat(table.bucket(0)).contains(verified).hasSize(8);
        assertThat(table.replacements(0)).hasSize(1); // the node it pushed out waits there
    }

    @Test
    void oneEntryPerIpOnTheInternetButPerPortOnLoopback() {
        Contact a = new Contact(idStartingWith(0x80), new InetSocketAddress("8.8.4.4", 6881));
        Contact sameIp = new Contact(idStartingWith(0x81), new InetSocketAddress("8.8.4.4", 6882));
        assertThat(table.onResponse(a, false)).isTrue();
        assertThat(table.onResponse(sameIp, false)).isFalse();
        assertThat(table.size()).isEqualTo(1);

        Contact local1 = new Contact(idStartingWith(0x82), new InetSocketAddress("127.0.0.1", 7001));
        Contact local2 = new Contact(idStartingWith(0x83), new InetSocketAddress("127.0.0.1", 7002));
        assertThat(table.onResponse(local1, false)).isTrue();
        assertThat(table.onResponse(local2, false)).isTrue();
        assertThat(table.size()).isEqualTo(3);
        // the same address and port with a new id: the node restarted; the old entry goes
        Contact restarted = new Contact(idStartingWith(0x84), new InetSocketAddress("127.0.0.1", 7001));
        assertThat(table.onResponse(restarted, false)).isTrue();
        assertThat(table.state(local1.id())).isEmpty();
        assertThat(table.size()).isEqualTo(3);
        // a known id from another address is not taken
        assertThat(table.onResponse(new Contact(local2.id(), new InetSocketAddress("127.0.0.1", 7009)), false)).isFalse();
        assertThat(table.contains(local2.address())).isTrue();
    }

    @Test
    void staleBucketsAreRefreshedWithATargetInsideThem() {
        Contact c = contact(idStartingWith(0x80));
        table.onResponse(c, false);
        Random random = new Random(5);
        assertThat(table.refreshTargets(Duration.ofMinutes(15), random)).isEmpty();
        clock.advance(Duration.ofMinutes(15));
        List<NodeId> targets = table.refreshTargets(Duration.ofMinutes(15), random);
        assertThat(targets).hasSize(1);
        assertThat(OWN.sharedPrefixBits(targets.get(0))).isZero();
        // refreshed now: not again until another 15 minutes pass
        assertThat(table.refreshTargets(Duration.ofMinutes(15), random)).isEmpty();
    }

    @Test
    void questionableNodesArePingedOncePerRound() {
        Contact c = contact(idStartingWith(0x80));
        table.onResponse(c, false);
        assertThat(table.toPing(Duration.ofMinutes(1), 10)).isEmpty();
        clock.advance(Duration.ofMinutes(16));
        assertThat(table.toPing(Duration.ofMinutes(1), 10)).containsExactly(c);
        assertThat(table.toPing(Duration.ofMinutes(1), 10)).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(table.toPing(Duration.ofMinutes(1), 10)).containsExactly(c);
    }

    @Test
    void closestAreSortedByXorDistance() {
        Contact far = contact(idStartingWith(0xf0));
        Contact mid = contact(idStartingWith(0x30));
        Contact near = contact(idStartingWith(0x01));
        for (Contact c : List.of(far, mid, near)) {
            table.onResponse(c, false);
        }
        assertThat(table.closest(OWN, 2)).containsExactly(near, mid);
        assertThat(table.closest(idStartingWith(0xf1), 3)).containsExactly(far, mid, near);
    }

    @Test
    void changingOurIdPlacesEveryNodeAgain() {
        for (int i = 0; i < 20; i++) {
            table.onResponse(contact(idStartingWith(i * 13)), false);
        }
        int before = table.size();
        table.changeId(NodeId.fromHex("ffffffffffffffffffffffffffffffffffffffff"));
        assertThat(table.ownId().hex()).startsWith("ffff");
        assertThat(table.size()).isGreaterThanOrEqualTo(Math.min(before, 8));
    }
}
