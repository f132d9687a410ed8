package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pyto.metainfo.InfoHash;

class AllowedFastSetTest {

    private static final InfoHash AA = new InfoHash(filled((byte) 0xaa));

    @Test
    void matchesTheExampleOfBep6() throws Exception {
        InetAddress peer = InetAddress.getByName("80.4.4.200");
        assertThat(AllowedFastSet.of(peer, AA, 1313, 7)).containsExactly(1059, 431, 808, 1217, 287, 376, 1188);
        assertThat(AllowedFastSet.of(peer, AA, 1313, 9))
                .containsExactly(1059, 431, 808, 1217, 287, 376, 1188, 353, 508);
    }

    @Test
    void aPeerGetsTheSameSetFromAnyAddressOfItsNetwork() throws Exception {
        assertThat(AllowedFastSet.of(InetAddress.getByName("80.4.4.1"), AA, 1313, 7))
                .isEqualTo(AllowedFastSet.of(InetAddress.getByName("80.4.4.200"), AA, 1313, 7))
                .isNotEqualTo(AllowedFastSet.of(InetAddress.getByName("80.4.5.200"), AA, 1313, 7));
    }

    @Test
    void aSmallTorrentGivesEveryPiece() throws Exception {
        assertThat(AllowedFastSet.of(InetAddress.getByName("80.4.4.200"), AA, 3, 10))
                .containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void isDefinedForIpv4Only() throws Exception {
        assertThat(AllowedFastSet.of(InetAddress.getByName("2001:db8::1"), AA, 1313, 7)).isEmpty();
    }

    private static byte[] filled(byte b) {
        byte[] bytes = new byte[20];
        Arrays.fill(bytes, b);
        return bytes;
    }
}
