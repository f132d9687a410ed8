package pyto.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pyto.bencode.BString;
import pyto.dht.KrpcMessage.AnnouncePeer;
import pyto.dht.KrpcMessage.Error;
import pyto.dht.KrpcMessage.FindNode;
import pyto.dht.KrpcMessage.GetPeers;
import pyto.dht.KrpcMessage.Ping;
import pyto.dht.KrpcMessage.Response;
import pyto.dht.KrpcMessage.SampleInfohashes;
import pyto.metainfo.InfoHash;

/** The codec against BEP 5's example messages, and against junk. */
class KrpcCodecTest {

    private static final BString AA = BString.of("aa");
    private static final NodeId ABC = id("abcdefghij0123456789");
    private static final NodeId MNO = id("mnopqrstuvwxyz123456");

    private static NodeId id(String twentyChars) {
        return new NodeId(twentyChars.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String encoded(KrpcMessage m) {
        return new String(KrpcCodec.encode(m, Optional.empty()), StandardCharsets.ISO_8859_1);
    }

    @Test
    void ping() throws Exception {
        String query = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
        String response = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";
        assertThat(KrpcCodec.decode(bytes(query))).isEqualTo(new Ping(AA, ABC));
        assertThat(encoded(new Ping(AA, ABC))).isEqualTo(query);
        Response r = (Response) KrpcCodec.decode(bytes(response));
        assertThat(r.sender()).isEqualTo(MNO);
        assertThat(r.nodes()).isEmpty();
        assertThat(encoded(Response.of(AA, MNO, Optional.empty()))).isEqualTo(response);
    }

    @Test
    void findNode() throws Exception {
        String query = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe";
        assertThat(KrpcCodec.decode(bytes(query))).isEqualTo(new FindNode(AA, ABC, MNO));
        assertThat(encoded(new FindNode(AA, ABC, MNO))).isEqualTo(query);
        // BEP 5's example answer abbreviates its node list to "def456...", 9 bytes: not 26 per node
        String example = "d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re";
        assertThatThrownBy(() -> KrpcCodec.decode(bytes(example))).isInstanceOf(KrpcException.class)
                .hasMessageContaining("multiple of 26");
        // the same answer with one real node
        Contact node = new Contact(MNO, new InetSocketAddress("1.2.3.4", 6881));
        String withNode = "d1:rd2:id20:0123456789abcdefghij5:nodes26:mnopqrstuvwxyz123456\u0001\u0002\u0003\u0004\u001a\u00e1e1:t2:aa1:y1:re";
        Response r = (Response) KrpcCodec.decode(bytes(withNode));
        assertThat(r.nodes()).containsExactly(node);
        assertThat(encoded(Response.of(AA, id("0123456789abcdefghij"), Optional.empty()).withNodes(List.of(node))))
                .isEqualTo(withNode);
    }

    @Test
    void getPeers() throws Exception {
        InfoHash hash = new InfoHash(bytes("mnopqrstuvwxyz123456"));
        String query = "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe";
        assertThat(KrpcCodec.decode(bytes(query))).isEqualTo(new GetPeers(AA, ABC, hash));
        assertThat(encoded(new GetPeers(AA, ABC, hash))).isEqualTo(query);

        String withPeers = "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re";
        Response r = (Response) KrpcCodec.decode(bytes(withPeers));
        assertThat(r.token()).contains(BString.of("aoeusnth"));
        // "axje.u" is 97.120.106.101 port 0x2e75
        assertThat(r.values()).containsExactly(new InetSocketAddress("97.120.106.101", 0x2e75),
                new InetSocketAddress("105.100.104.116", 0x6e6d));
        assertThat(encoded(Response.of(AA, ABC, Optional.empty()).withToken(BString.of("aoeusnth"))
                .withValues(r.values()))).isEqualTo(withPeers);
    }

    @Test
    void announcePeer() throws Exception {
        InfoHash hash = new InfoHash(bytes("mnopqrstuvwxyz123456"));
        String query = "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e"
                + "5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
        AnnouncePeer expected = new AnnouncePeer(AA, ABC, hash, 6881, true, BString.of("aoeusnth"));
        assertThat(KrpcCodec.decode(bytes(query))).isEqualTo(expected);
        assertThat(encoded(expected)).isEqualTo(query);
    }

    @Test
    void error() throws Exception {
        String generic = "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee";
        assertThat(KrpcCodec.decode(bytes(generic))).isEqualTo(new Error(AA, 201, "A Generic Error Ocurred"));
        assertThat(encoded(new Error(AA, 201, "A Generic Error Ocurred"))).isEqualTo(generic);
    }

    @Test
    void sampleInfohashesAndTheIpField() throws Exception {
        InfoHash h1 = new InfoHash(bytes("11111111111111111111"));
        InfoHash h2 = new InfoHash(bytes("22222222222222222222"));
        Response r = Response.of(AA, MNO, Optional.of(new InetSocketAddress("203.0.113.5", 51413)))
                .withSamples(List.of(h1, h2), 7, 21600);
        Response back = (Response) KrpcCodec.decode(KrpcCodec.encode(r));
        assertThat(back.samples()).containsExactly(h1, h2);
        assertThat(back.num()).hasValue(7);
        assertThat(back.interval()).hasValue(21600);
        assertThat(back.requester()).contains(new InetSocketAddress("203.0.113.5", 51413));
        assertThat(KrpcCodec.decode(KrpcCodec.encode(new SampleInfohashes(AA, ABC, MNO))))
                .isEqualTo(new SampleInfohashes(AA, ABC, MNO));
    }

    @Test
    void junkIsAKrpcExceptionWithTheRightCode() {
        assertProblem("not bencoded at all", "not a bencoded dictionary", false);
        assertProblem("li1ei2ee", "not a bencoded dictionary", false);
        assertProblem("d1:y1:qe", "no transaction id", false);
        assertProblem("d1:t2:aa1:y1:xe", "not q, r or e", false);
        // a query with a transaction id gets an answer: 203, or 204 for a method we do not know
        assertProblem("d1:ad2:id20:abcdefghij0123456789e1:q4:pong1:t2:aa1:y1:qe", "unknown method", true);
        assertThat(problem("d1:ad2:id20:abcdefghij0123456789e1:q4:pong1:t2:aa1:y1:qe").code()).isEqualTo(204);
        assertProblem("d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe", "not 20", true);
        assertProblem("d1:ai5e1:q4:ping1:t2:aa1:y1:qe", "no arguments", true);
        assertProblem("d1:adi1ei2ee1:q4:ping1:t2:aa1:y1:qe", "dictionary key must be a byte string", false);
        assertProblem("d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe", "not a string", true);
        assertProblem("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:port4:68815:token1:xe"
                + "1:q13:announce_peer1:t2:aa1:y1:qe", "not an integer", true);
        assertProblem("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti70000e5:token1:xe"
                + "1:q13:announce_peer1:t2:aa1:y1:qe", "out of range", true);
        assertProblem("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti1ee"
                + "1:q13:announce_peer1:t2:aa1:y1:qe", "missing 'token'", true);
        assertProblem("d1:rd2:id20:mnopqrstuvwxyz1234566:valuesl3:abcee1:t2:aa1:y1:re", "6 or 18", false);
        assertProblem("d1:rd2:id20:mnopqrstuvwxyz1234566:valuesi3ee1:t2:aa1:y1:re", "not a list", false);
        assertProblem("d1:rd2:id20:mnopqrstuvwxyz1234567:samples3:abce1:t2:aa1:y1:re", "multiple of 20", false);
        assertProblem("d1:eli201ee1:t17:aaaaaaaaaaaaaaaaa1:y1:ee", "transaction id of 17", false);
        assertProblem("d1:ele1:t2:aa1:y1:ee", "without a code", false);
        byte[] oversized = new byte[KrpcCodec.MAX_PACKET + 1];
        assertThatThrownBy(() -> KrpcCodec.decode(oversized)).isInstanceOf(KrpcException.class).hasMessageContaining("over");
    }

    @Test
    void unknownKeysAreIgnored() throws Exception {
        String query = "d1:ad2:id20:abcdefghij01234567894:wantl2:n4ee1:q4:ping1:t2:aa1:v4:LT\u0001\u00021:y1:qe";
        assertThat(KrpcCodec.decode(bytes(query))).isEqualTo(new Ping(AA, ABC));
    }

    private static KrpcException problem(String packet) {
        try {
            KrpcCodec.decode(bytes(packet));
        } catch (KrpcException e) {
            return e;
        }
        throw new AssertionError("decoded junk: " + packet);
    }

    private static void assertProblem(String packet, String message, boolean answerable) {
        KrpcException e = problem(packet);
        assertThat(e.getMessage()).as(packet).contains(message);
        assertThat(e.isQuery() && e.tid().isPresent()).as("answerable: " + packet).isEqualTo(answerable);
        if (answerable && e.code() != 204) {
            assertThat(e.code()).isEqualTo(203);
        }
    }
}
