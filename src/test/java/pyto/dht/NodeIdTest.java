package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {

    /** BEP 42's table: IP, the random byte, and an id that IP may use. */
    private static final String[][] BEP42_VECTORS = {
            {"124.31.75.21", "1", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"},
            {"21.75.31.124", "86", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"},
            {"65.23.51.170", "22", "a5d43220bc8f112a3d426c84764f8c2a1150e616"},
            {"84.124.73.14", "65", "1b0321dd1bb1fe518101ceef99462b947a01ff41"},
            {"43.213.53.83", "90", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"},
    };

    @Test
    void bep42VectorsVerify() throws Exception {
        for (String[] v : BEP42_VECTORS) {
            NodeId id = NodeId.fromHex(v[2]);
            assertThat(id.bytes()[19] & 0xff).isEqualTo(Integer.parseInt(v[1]));
            assertThat(id.isSecureFor(InetAddress.getByName(v[0]))).as(v[0]).isTrue();
        }
    }

    @Test
    void bep42RejectsAnotherIpOrAChangedPrefix() throws Exception {
        NodeId id = NodeId.fromHex(BEP42_VECTORS[0][2]);
        assertThat(id.isSecureFor(InetAddress.getByName("21.75.31.124"))).isFalse();
        byte[] bytes = id.bytes();
        bytes[2] ^= 0x08; // the 21st bit
        assertThat(new NodeId(bytes).isSecureFor(InetAddress.getByName("124.31.75.21"))).isFalse();
        bytes = id.bytes();
        bytes[2] ^= 0x04; // the 22nd bit is free
        assertThat(new NodeId(bytes).isSecureFor(InetAddress.getByName("124.31.75.21"))).isTrue();
        bytes = id.bytes();
        bytes[19] ^= 0x01; // r lives in the last byte: another r, another CRC
        assertThat(new NodeId(bytes).isSecureFor(InetAddress.getByName("124.31.75.21"))).isFalse();
    }

    /** Generating with the vectors' random byte gives the same 21-bit prefix. */
    @Test
    void bep42GenerationMatchesTheVectors() throws Exception {
        for (String[] v : BEP42_VECTORS) {
            int rand = Integer.parseInt(v[1]);
            Random fixed = new Random(7) {
                @Override
                public int nextInt(int bound) {
                    return rand;
                }
            };
            NodeId made = NodeId.secure(InetAddress.getByName(v[0]), fixed);
            byte[] expected = NodeId.fromHex(v[2]).bytes();
            byte[] got = made.bytes();
            assertThat(got[0]).isEqualTo(expected[0]);
            assertThat(got[1]).isEqualTo(expected[1]);
            assertThat(got[2] & 0xf8).isEqualTo(expected[2] & 0xf8);
            assertThat(got[19]).isEqualTo(expected[19]);
            assertThat(made.isSecureFor(InetAddress.getByName(v[0]))).isTrue();
        }
    }

    @Test
    void bep42ForIpv6AndLocalExemption() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertThat(NodeId.secure(v6, new Random(1)).isSecureFor(v6)).isTrue();
        NodeId any = NodeId.random(new Random(2));
        for (String local : List.of("127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.3.3", "::1", "fd00::5")) {
            assertThat(any.isSecureFor(InetAddress.getByName(local))).as(local).isTrue();
        }
        assertThat(any.isSecureFor(InetAddress.getByName("8.8.8.8"))).isFalse();
    }

    @Test
    void xorDistanceOrdersIds() {
        NodeId target = NodeId.fromHex("0000000000000000000000000000000000000000");
        NodeId near = NodeId.fromHex("0000000000000000000000000000000000000001");
        NodeId mid = NodeId.fromHex("00ff000000000000000000000000000000000000");
        NodeId far = NodeId.fromHex("8000000000000000000000000000000000000000");
        List<NodeId> ids = new ArrayList<>(List.of(far, near, mid));
        ids.sort(target.byDistance());
        assertThat(ids).containsExactly(near, mid, far);
        // the metric is XOR, not numeric difference: 0x7f.. is farther from 0xff.. than 0x80.. is
        NodeId top = NodeId.fromHex("ff00000000000000000000000000000000000000");
        assertThat(top.compareDistance(NodeId.fromHex("8000000000000000000000000000000000000000"),
                NodeId.fromHex("7f00000000000000000000000000000000000000"))).isNegative();
    }

    @Test
    void sharedPrefixBitsAndBucketTargets() {
        NodeId a = NodeId.fromHex("f000000000000000000000000000000000000000");
        assertThat(a.sharedPrefixBits(a)).isEqualTo(160);
        assertThat(a.sharedPrefixBits(NodeId.fromHex("7000000000000000000000000000000000000000"))).isZero();
        assertThat(a.sharedPrefixBits(NodeId.fromHex("f800000000000000000000000000000000000000"))).isEqualTo(4);
        assertThat(a.sharedPrefixBits(NodeId.fromHex("f000000000000000000000000000000000000001"))).isEqualTo(159);
        Random random = new Random(3);
        for (int shared = 0; shared < 160; shared += 7) {
            assertThat(a.sharedPrefixBits(a.randomWithPrefix(shared, random))).isEqualTo(shared);
        }
    }
}
