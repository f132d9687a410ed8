package pyto.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pyto.wire.WireBytes.ascii;
import static pyto.wire.WireBytes.concat;
import static pyto.wire.WireBytes.extended;
import static pyto.wire.WireBytes.hex;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.PeerExchange.PexPeer;
import pyto.wire.ExtensionMessage.UnknownExtended;
import pyto.wire.ExtensionMessage.UploadOnly;
import pyto.wire.PeerMessage.Have;

/** The extension protocol's frame (BEP 10) and its messages through {@link MessageCodec}. */
class ExtensionCodecTest {

    private final MessageCodec codec = new MessageCodec(1000);

    /** 1,000,000 pieces: a bitfield of 125,000 bytes lets messages past 64 KiB reach their own limits. */
    private final MessageCodec bigTorrent = new MessageCodec(1_000_000);

    @Test
    void everyExtensionMessageSurvivesARoundTrip() throws IOException {
        byte[] metadata = new byte[16 * 1024];
        Arrays.fill(metadata, (byte) 'x');
        List<ExtensionMessage> messages = List.of(
                ExtendedHandshake.of(ExtensionIds.OURS),
                ExtendedHandshake.of(ExtensionIds.OURS).withListenPort(6881).withClient("pyto 0.1.0")
                        .withRequestQueue(250).withYourIp(InetAddress.getByName("192.0.2.7"))
                        .withMetadataSize(31235).withUploadOnly(true),
                ExtendedHandshake.of(ExtensionIds.NONE).withYourIp(InetAddress.getByName("2001:db8::7")),
                new MetadataRequest(0), new MetadataData(1, 31235, metadata),
                new MetadataData(2, 32769, new byte[] {1}), new MetadataReject(7),
                new PeerExchange(List.of(), List.of()),
                new PeerExchange(
                        // IPv4 peers first: they travel in a list of their own and come back first
                        List.of(new PexPeer(address("10.0.0.1", 6881), PexPeer.SEED | PexPeer.UTP),
                                new PexPeer(address("10.0.0.2", 1)),
                                new PexPeer(address("2001:db8::1", 51413), PexPeer.REACHABLE)),
                        List.of(address("10.0.0.9", 6881), address("2001:db8::9", 6882))),
                new UploadOnly(true), new UploadOnly(false));

        for (ExtensionMessage message : messages) {
            assertThat(ExtensionIds.OURS.canSend(message)).isTrue();
            WireBytes.Input in = new WireBytes.Input(WireBytes.written(codec, message, ExtensionIds.OURS));
            assertThat(codec.read(in)).as("%s", message).isEqualTo(message);
            assertThat(in.unread()).isZero();
        }
    }

    @Test
    void writesTheLayoutsOfTheBeps() throws IOException {
        // BEP 10: <len><20><0><d1:md11:ut_metadatai3eee>, the example of BEP 9 and BEP 21
        ExtendedHandshake handshake = ExtendedHandshake.of(ExtensionIds.of(Map.of("ut_metadata", 3)));
        assertThat(written(handshake, ExtensionIds.NONE))
                .isEqualTo(concat(hex("0000001a 14 00"), ascii("d1:md11:ut_metadatai3eee")));
        // BEP 9: a request for piece 0 to a peer whose ut_metadata id is 3
        ExtensionIds peer = ExtensionIds.of(Map.of("ut_metadata", 3, "ut_pex", 9, "upload_only", 4));
        assertThat(written(new MetadataRequest(0), peer))
                .isEqualTo(concat(hex("0000001b 14 03"), ascii("d8:msg_typei0e5:piecei0ee")));
        assertThat(written(new MetadataData(0, 3, ascii("abc")), peer))
                .isEqualTo(concat(hex("0000002e 14 03"), ascii("d8:msg_typei1e5:piecei0e10:total_sizei3eeabc")));
        // BEP 11: one IPv4 peer, a seed (flag 0x02), at 10.0.0.1:6881 (1ae1)
        assertThat(written(new PeerExchange(List.of(new PexPeer(address("10.0.0.1", 6881), PexPeer.SEED)),
                List.of()), peer))
                .isEqualTo(concat(hex("0000004c 14 09"), ascii("d5:added6:"), hex("0a000001 1ae1"),
                        ascii("7:added.f1:"), hex("02"), ascii("6:added60:8:added6.f0:7:dropped0:8:dropped60:e")));
        // libtorrent's upload_only: one byte
        assertThat(written(new UploadOnly(true), peer)).isEqualTo(hex("00000003 14 04 01"));
    }

    @Test
    void decodesAnExtendedHandshakeAsLibtorrentSendsIt() throws IOException {
        byte[] payload = concat(ascii("d12:complete_agoi-1e1:md11:lt_donthavei7e10:share_modei8e11:upload_onlyi3e"
                + "12:ut_holepunchi4e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e"
                + "4:reqqi500e1:v16:libTorrent 2.0.8" + "6:yourip4:"), hex("c0000207"), ascii("e"));

        ExtensionMessage message = (ExtensionMessage) codec.read(new WireBytes.Input(extended(0, payload)));

        assertThat(message).isEqualTo(new ExtendedHandshake(
                Map.of("lt_donthave", 7, "share_mode", 8, "upload_only", 3, "ut_holepunch", 4,
                        "ut_metadata", 2, "ut_pex", 1),
                OptionalInt.of(6881), Optional.of("libTorrent 2.0.8"), OptionalInt.of(500),
                Optional.of(InetAddress.getByName("192.0.2.7")), OptionalLong.of(31235), false));
        ExtensionIds ids = ((ExtendedHandshake) message).ids();
        assertThat(ids.id("ut_metadata")).hasValue(2);
        assertThat(ids.canSend(new PeerExchange(List.of(), List.of()))).isTrue();
        assertThat(message).hasToString("extended handshake \"libTorrent 2.0.8\" p 6881 reqq 500 yourip 192.0.2.7"
                + " metadata_size 31235 m {lt_donthave=7, share_mode=8, upload_only=3, ut_holepunch=4,"
                + " ut_metadata=2, ut_pex=1}");
    }

    @Test
    void incomingIdsAreOursAndAnUnknownOneIsSkippedByItsLength() throws IOException {
        // id 7: we announced no such extension; 3 bytes skipped, then have 7 reads
        WireBytes.Input in = new WireBytes.Input(hex("00000005 14 07 646565 00000005 04 00000007"));
        assertThat(codec.read(in)).isEqualTo(new UnknownExtended(7, 3));
        assertThat(codec.read(in)).isEqualTo(new Have(7));
        // id 2 is our ut_metadata, 1 our ut_pex, 3 our upload_only
        assertThat(codec.read(new WireBytes.Input(extended(2, ascii("d8:msg_typei2e5:piecei4ee")))))
                .isEqualTo(new MetadataReject(4));
        assertThat(codec.read(new WireBytes.Input(extended(1, ascii("de")))))
                .isEqualTo(new PeerExchange(List.of(), List.of()));
        assertThat(codec.read(new WireBytes.Input(extended(3, hex("00"))))).isEqualTo(new UploadOnly(false));
    }

    @Test
    void anExtendedMessageWithoutAnExtendedIdIsRefused() {
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(hex("00000001 14"))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("extended message of 1 byte has no extended id");
    }

    @Test
    void anExtendedHandshakeOver64KiBIsRefusedBeforeItIsRead() {
        WireBytes.Input in = new WireBytes.Input(extended(0, new byte[64 * 1024 + 1]));
        assertThatThrownBy(() -> bigTorrent.read(in))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("extended handshake of 65537 bytes exceeds the limit of 65536 bytes");
        assertThat(in.unread()).isEqualTo(64 * 1024 + 1);
        // a torrent with a small bitfield refuses the message by its length prefix alone
        WireBytes.Input small = new WireBytes.Input(extended(0, new byte[64 * 1024 + 1]));
        assertThatThrownBy(() -> codec.read(small))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("message of 65539 bytes exceeds the limit of 65538 bytes for this torrent");
        assertThat(small.unread()).isEqualTo(2 + 64 * 1024 + 1);     // all but the length prefix
    }

    @Test
    void aUtMetadataMessageOver17KiBIsRefusedBeforeItIsRead() {
        WireBytes.Input in = new WireBytes.Input(extended(2, new byte[17 * 1024 + 1]));
        assertThatThrownBy(() -> codec.read(in))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_metadata message of 17409 bytes exceeds the limit of 17408 bytes");
        assertThat(in.unread()).isEqualTo(17 * 1024 + 1);
    }

    @Test
    void aUtPexMessageOver64KiBIsRefusedBeforeItIsRead() {
        WireBytes.Input in = new WireBytes.Input(extended(1, new byte[64 * 1024 + 1]));
        assertThatThrownBy(() -> bigTorrent.read(in))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_pex message of 65537 bytes exceeds the limit of 65536 bytes");
        assertThat(in.unread()).isEqualTo(64 * 1024 + 1);
    }

    @Test
    void aPayloadThatIsNotADictionaryIsRefusedWithTheDecodersReason() {
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(extended(0, ascii("d1:m")))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("extended handshake is not a bencoded dictionary: unexpected end of input at byte 4");
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(extended(0, ascii("li1ee")))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("extended handshake is not a bencoded dictionary: expected a dictionary at byte 0");
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(extended(1, ascii("i03e")))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_pex message is not a bencoded dictionary: number with a leading zero at byte 0");
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(extended(2, ascii("4:spam")))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ut_metadata message is not a bencoded dictionary: expected a dictionary at byte 0");
    }

    @Test
    void anUploadOnlyMessageIsOneByte() {
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(extended(3, hex("0100")))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("upload_only message of 2 bytes, expected 1");
    }

    @Test
    void aTruncatedExtendedMessageEndsInEofException() {
        byte[] whole = extended(0, ascii("d1:md6:ut_pexi1eee"));
        assertThatThrownBy(() -> codec.read(new WireBytes.Input(Arrays.copyOf(whole, whole.length - 1))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void anExtensionMessageGoesOnlyToAPeerThatAnnouncedItsExtension() {
        DataOutputStream out = new DataOutputStream(new ByteArrayOutputStream());
        ExtensionIds pexOnly = ExtensionIds.of(Map.of("ut_pex", 5));
        MetadataRequest request = new MetadataRequest(0);

        assertThat(pexOnly.canSend(request)).isFalse();
        assertThatThrownBy(() -> codec.write(out, request, pexOnly))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the peer did not announce ut_metadata in its extended handshake; "
                        + "cannot send metadata request 0");
        assertThatThrownBy(() -> codec.write(out, new UploadOnly(true)))      // no ids: ExtensionIds.NONE
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.write(out, new UnknownExtended(7, 3), ExtensionIds.OURS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ExtensionIds.OURS.canSend(new UnknownExtended(7, 3))).isFalse();
    }

    @Test
    void theExtendedHandshakeNeedsNoIds() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        codec.write(new DataOutputStream(buffer), ExtendedHandshake.of(ExtensionIds.OURS));
        assertThat(buffer.toByteArray())
                .isEqualTo(extended(0, ascii("d1:md11:upload_onlyi3e11:ut_metadatai2e6:ut_pexi1eee")));
    }

    @Test
    void eachTracesAsOneLine() throws IOException {
        assertThat(ExtendedHandshake.of(ExtensionIds.OURS).withClient("evil\nclient").withUploadOnly(true))
                .hasToString("extended handshake \"evil?client\" upload_only m {upload_only=3, ut_metadata=2, ut_pex=1}");
        assertThat(new MetadataRequest(3)).hasToString("metadata request 3");
        assertThat(new MetadataData(1, 31235, new byte[14467])).hasToString("metadata piece 1 (14467 bytes of 31235)");
        assertThat(new MetadataReject(0)).hasToString("metadata reject 0");
        assertThat(new UploadOnly(true)).hasToString("upload only");
        assertThat(new UnknownExtended(7, 3)).hasToString("unknown extended message id 7 (3 bytes)");
        assertThat(new PeerExchange(
                List.of(new PexPeer(address("10.0.0.1", 6881), PexPeer.SEED | PexPeer.PREFERS_ENCRYPTION),
                        new PexPeer(address("2001:db8::1", 51413))),
                List.of(address("10.0.0.9", 6881))))
                .hasToString("pex +2 -1: added 10.0.0.1:6881 (encryption, seed), [2001:db8:0:0:0:0:0:1]:51413;"
                        + " dropped 10.0.0.9:6881");
        List<PexPeer> many = IntStream.range(1, 8)
                .mapToObj(i -> new PexPeer(address("10.0.0." + i, 6881))).toList();
        assertThat(new PeerExchange(many, List.of()))
                .hasToString("pex +7 -0: added 10.0.0.1:6881, 10.0.0.2:6881, 10.0.0.3:6881, 10.0.0.4:6881,"
                        + " 10.0.0.5:6881, ...");
    }

    private byte[] written(PeerMessage message, ExtensionIds remote) throws IOException {
        return WireBytes.written(codec, message, remote);
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
