package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pyto.wire.ExtensionCodecTest.address;
import static pyto.wire.WireBytes.ascii;
import static pyto.wire.WireBytes.concat;
import static pyto.wire.WireBytes.extended;
import static pyto.wire.WireBytes.hex;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import pyto.bencode.BDict;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.PeerExchange.PexPeer;
import pyto.wire.PeerMessage.Have;

class PexMessagesTest {

    private final MessageCodec codec = new MessageCodec(10);

    @Test
    void missingOrShortFlagsAreZeroForThePeersTheyDoNotCover() throws ProtocolException {
        byte[] payload = BDict.builder()
                .put("added", hex("0a000001 1ae1 0a000002 1ae2"))
                .put("added.f", hex("12"))                         // one flag byte for two peers
                .put("added6", hex("20010db8000000000000000000000001 1ae1"))
                .build().encode();
        assertThat(PexMessages.decode(payload).added()).containsExactly(
                new PexPeer(address("10.0.0.1", 6881), PexPeer.SEED | PexPeer.REACHABLE),
                new PexPeer(address("10.0.0.2", 6882), 0),
                new PexPeer(address("2001:db8::1", 6881), 0));
    }

    @Test
    void entriesWithPort0AreSkippedAndKeysOfTheWrongKindAreMissing() throws ProtocolException {
        byte[] payload = BDict.builder()
                .put("added", hex("0a000001 0000 0a000002 1ae2"))
                .put("added.f", hex("0204"))
                .put("dropped", hex("0a000003 0000"))
                .put("dropped6", 7)
                .build().encode();
        PeerExchange pex = PexMessages.decode(payload);
        assertThat(pex.added()).containsExactly(new PexPeer(address("10.0.0.2", 6882), PexPeer.UTP));
        assertThat(pex.dropped()).isEmpty();
    }

    @Test
    void compactListsMustBeWholeEntries() {
        assertThatThrownBy(() -> PexMessages.decode(BDict.builder().put("added", new byte[7]).build().encode()))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_pex added of 7 bytes is not a list of 6-byte entries");
        assertThatThrownBy(() -> PexMessages.decode(BDict.builder().put("dropped6", new byte[6]).build().encode()))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_pex dropped6 of 6 bytes is not a list of 18-byte entries");
    }

    @Test
    void moreThan200AddedOrDroppedPeersAreRefusedAndTheStreamIsNotOverRead() throws IOException {
        byte[] added = BDict.builder().put("added", new byte[150 * 6]).put("added6", new byte[51 * 18]).build().encode();
        WireBytes.Input in = new WireBytes.Input(concat(extended(1, added), hex("00000005 04 00000001")));
        assertThatThrownBy(() -> codec.read(in))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_pex message adds 201 peers, more than the limit of 200");
        assertThat(in.unread()).isEqualTo(9);                      // the have after it

        byte[] dropped = BDict.builder().put("dropped", new byte[201 * 6]).build().encode();
        assertThatThrownBy(() -> PexMessages.decode(dropped))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_pex message drops 201 peers, more than the limit of 200");

        byte[] justSo = BDict.builder().put("added", hex("0a000001 1ae1".repeat(100)))
                .put("added6", hex("20010db8000000000000000000000001 1ae1".repeat(100)))
                .put("dropped", hex("0a000001 1ae1".repeat(200))).build().encode();
        WireBytes.Input ok = new WireBytes.Input(concat(extended(1, justSo), hex("00000005 04 00000001")));
        assertThat(((PeerExchange) codec.read(ok)).added()).hasSize(200);
        assertThat(codec.read(ok)).isEqualTo(new Have(1));
    }

    @Test
    void refusesToBuildMoreThan200OfEach() {
        List<PexPeer> many = Collections.nCopies(201, new PexPeer(address("10.0.0.1", 1)));
        assertThatThrownBy(() -> new PeerExchange(many, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesAllSixKeysAsLibtorrentDoes() {
        assertThat(PexMessages.encode(new PeerExchange(List.of(), List.of())))
                .isEqualTo(ascii("d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e"));
    }
}
