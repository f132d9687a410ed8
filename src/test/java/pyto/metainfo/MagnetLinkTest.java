package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MagnetLinkTest {

    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    private static final String BASE32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";
    private static final InfoHash HASH = InfoHash.fromHex(HEX);
    private static final String XT = "magnet:?xt=urn:btih:" + HEX;

    @Test
    void readsTheFormatOfBep9() throws Exception {
        // BEP 9: magnet:?xt=urn:btih:<info-hash>&dn=<name>&tr=<tracker-url>&x.pe=<peer-address>
        MagnetLink link = MagnetLink.parse(XT + "&dn=Example&tr=http%3A%2F%2Ftracker.example%2Fannounce"
                + "&x.pe=192.0.2.7:6881");

        assertThat(link.infoHash()).isEqualTo(HASH);
        assertThat(link.name()).contains("Example");
        assertThat(link.trackers()).containsExactly("http://tracker.example/announce");
        assertThat(link.peers()).containsExactly(new InetSocketAddress(ip(192, 0, 2, 7), 6881));
        assertThat(link.webSeeds()).isEmpty();
        assertThat(link.selectOnly()).isEmpty();
    }

    @Test
    void onlyXtIsNeeded() throws Exception {
        MagnetLink link = MagnetLink.parse(XT);

        assertThat(link).isEqualTo(new MagnetLink(HASH, Optional.empty(), List.of(), List.of(), List.of(), List.of()));
    }

    @ParameterizedTest
    @CsvSource({
            "c12fe1c06bba254a9dc9f519b335aa7c1367a88a",
            "C12FE1C06BBA254A9DC9F519B335AA7C1367A88A",
            "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK",
            "yex6dqdlxisuvhoj6um3gnnkpqjwpkek"})
    void readsTheHashInHexOrBase32InEitherCase(String hash) throws Exception {
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + hash).infoHash()).isEqualTo(HASH);
    }

    @Test
    void readsEscapedTrackersInOrderEachOnce() throws Exception {
        MagnetLink link = MagnetLink.parse(XT
                + "&tr=http%3A%2F%2Fa.example%2Fann%3Fkey%3D1%26pass%3D100%25"
                + "&tr=udp://b.example:6969"
                + "&tr=http%3a%2f%2fa.example%2fann%3fkey%3d1%26pass%3d100%25"
                + "&tr=");

        assertThat(link.trackers()).containsExactly("http://a.example/ann?key=1&pass=100%", "udp://b.example:6969");
        assertThat(link.trackerTiers()).containsExactly(
                List.of("http://a.example/ann?key=1&pass=100%"), List.of("udp://b.example:6969"));
    }

    @Test
    void decodesUtf8AndReadsPlusAsASpaceAsLibtorrentDoes() throws Exception {
        assertThat(MagnetLink.parse(XT + "&dn=Caf%C3%A9+au+lait%2B").name()).contains("Café au lait+");
        assertThat(MagnetLink.parse(XT + "&dn=Café").name()).contains("Café");
        assertThat(MagnetLink.parse(XT + "&dn=%F0%9F%A7%B2").name()).contains("\uD83E\uDDF2");
        assertThat(MagnetLink.parse(XT + "&dn=").name()).isEmpty();
    }

    @Test
    void readsPeersAsAddressesWithoutAskingDns() throws Exception {
        MagnetLink link = MagnetLink.parse(XT + "&x.pe=10.0.0.1:6881&x.pe=%5B2001:db8::1%5D:51413"
                + "&x.pe=[::ffff:10.0.0.2]:7&x.pe=peer.example:6881&x.pe=10.0.0.1:6881");

        assertThat(link.peers()).hasSize(4);
        InetSocketAddress v4 = link.peers().get(0);
        assertThat(v4.isUnresolved()).isFalse();
        assertThat(v4.getAddress().getAddress()).containsExactly(10, 0, 0, 1);
        assertThat(v4.getPort()).isEqualTo(6881);
        InetSocketAddress v6 = link.peers().get(1);
        assertThat(v6.getAddress()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(v6.getPort()).isEqualTo(51413);
        assertThat(link.peers().get(2).getAddress().getAddress()).containsExactly(10, 0, 0, 2);
        InetSocketAddress host = link.peers().get(3);
        assertThat(host.isUnresolved()).isTrue();
        assertThat(host.getHostString()).isEqualTo("peer.example");
        assertThat(link.peers().stream().map(MagnetLink::peerText)).containsExactly(
                "10.0.0.1:6881", "[2001:db8::1]:51413", "10.0.0.2:7", "peer.example:6881");
    }

    @Test
    void readsWebSeeds() throws Exception {
        MagnetLink link = MagnetLink.parse(XT + "&ws=https%3A%2F%2Fmirror.example%2Ffiles%2F&ws=http://m2.example/x");

        assertThat(link.webSeeds()).containsExactly("https://mirror.example/files/", "http://m2.example/x");
    }

    @Test
    void readsSelectOnlyRangesSortedEachOnce() throws Exception {
        MagnetLink link = MagnetLink.parse(XT + "&so=4-6,0,2,5&so=9");

        assertThat(link.selectOnly()).containsExactly(0, 2, 4, 5, 6, 9);
        assertThat(link.selectOnlyText()).isEqualTo("0,2,4-6,9");
        assertThat(MagnetLink.parse(XT + "&so=0-99999").selectOnly()).hasSize(MagnetLink.MAX_SELECTED_FILES);
        assertThat(MagnetLink.parse(XT + "&so=7,0-99998,99999").selectOnly()).hasSize(MagnetLink.MAX_SELECTED_FILES);
    }

    @Test
    void acceptsNumberedParametersAndIgnoresUnknownOnes() throws Exception {
        MagnetLink link = MagnetLink.parse("magnet:?xl=1024&xt.1=urn:btih:" + HEX + "&tr.1=udp://a:1&tr.2=udp://b:2"
                + "&dn.1=one&kt=some+words&x.pe.1=10.0.0.1:1&flag&&as=http://x/");

        assertThat(link.infoHash()).isEqualTo(HASH);
        assertThat(link.trackers()).containsExactly("udp://a:1", "udp://b:2");
        assertThat(link.name()).contains("one");
        assertThat(link.peers()).hasSize(1);
    }

    @Test
    void takesTheFirstBtihOfSeveralTopics() throws Exception {
        String other = "0123456789abcdef0123456789abcdef01234567";
        MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btmh:1220" + "ab".repeat(32)
                + "&xt=urn:btih:" + HEX + "&xt=urn:btih:" + other);

        assertThat(link.infoHash()).isEqualTo(HASH);
    }

    @Test
    void readsAnEscapedTopicAndAnUpperCaseScheme() throws Exception {
        assertThat(MagnetLink.parse("  MAGNET:?xt=urn%3Abtih%3A" + BASE32 + "\n").infoHash()).isEqualTo(HASH);
        assertThat(MagnetLink.parse("magnet:?xt=URN:BTIH:" + HEX + "#fragment").infoHash()).isEqualTo(HASH);
    }

    static Stream<String[]> badLinks() {
        return Stream.of(
                bad("http://example.com/?xt=urn:btih:" + HEX, "not a magnet link: it must start with magnet:?"),
                bad("magnet:xt=urn:btih:" + HEX, "not a magnet link"),
                bad("magnet:?dn=name&tr=udp://a:1", "it has no xt=urn:btih:... parameter"),
                bad("magnet:?xt=urn:btmh:1220" + "ab".repeat(32), "pyto is a v1 client and needs a v1 info hash"),
                bad("magnet:?xt=urn:sha1:ABCDEF", "xt=urn:sha1:ABCDEF is not a BitTorrent info hash"),
                bad("magnet:?xt=urn:btih:" + HEX.substring(1), "the info hash in xt has 39 characters;"
                        + " it must be 40 hex digits or 32 base32 characters"),
                bad("magnet:?xt=urn:btih:", "the info hash in xt has 0 characters"),
                bad("magnet:?xt=urn:btih:" + HEX.substring(0, 39) + "g", "the info hash in xt is not hex: 'g' at position 40"),
                bad("magnet:?xt=urn:btih:" + BASE32.substring(0, 31) + "1",
                        "the info hash in xt is not base32: '1' at position 32 is not a base32 character"),
                bad(XT + "&x.pe=10.0.0.1", "x.pe=10.0.0.1 has no port"),
                bad(XT + "&x.pe=[::1]", "x.pe=[::1] has no port"),
                bad(XT + "&x.pe=10.0.0.1:", "the port '' is not a number"),
                bad(XT + "&x.pe=10.0.0.1:0", "the port 0 is out of range (1-65535)"),
                bad(XT + "&x.pe=10.0.0.1:65536", "the port 65536 is out of range (1-65535)"),
                bad(XT + "&x.pe=10.0.0.1:123456", "the port '123456' is not a number from 1 to 65535"),
                bad(XT + "&x.pe=10.0.0.1:http", "the port 'http' is not a number"),
                bad(XT + "&x.pe=[::1:6881", "x.pe=[::1:6881 opens a '[' that no ']' closes"),
                bad(XT + "&x.pe=::1]:6881", "closes a ']' that no '[' opened"),
                bad(XT + "&x.pe=[::1]6881", "has '6881' after the ']' where ':PORT' should be"),
                bad(XT + "&x.pe=::1:6881", "an IPv6 address needs brackets"),
                bad(XT + "&x.pe=[10.0.0.1]:6881", "'10.0.0.1' is not an IPv6 address"),
                bad(XT + "&x.pe=[fe80::1%25eth0]:6881", "'fe80::1%eth0' is not an IPv6 address"),
                bad(XT + "&x.pe=[1:2:3:4:5:6:7:8:9]:6881", "is not an IPv6 address"),
                bad(XT + "&x.pe=10.0.0.256:6881", "'10.0.0.256' is not an IPv4 address"),
                bad(XT + "&x.pe=10.0.1:6881", "'10.0.1' is not an IPv4 address"),
                bad(XT + "&x.pe=:6881", "'' is not a host name"),
                bad(XT + "&x.pe=bad%20host:6881", "'bad host' is not a host name"),
                bad(XT + "&tr=http%3A%2F%2Fa%2", "the value of tr has a broken %-escape '%2'"),
                bad(XT + "&dn=50%", "the value of dn has a broken %-escape '%'"),
                bad(XT + "&ws=%zz", "the value of ws has a broken %-escape '%zz'"),
                bad("magnet:?xt=urn:btih:" + HEX + "%G0", "the value of xt has a broken %-escape '%G0'"),
                bad(XT + "&dn=%FF%FE", "the value of dn is not UTF-8 once its %-escapes are decoded"),
                bad(XT + "&so=", "so= is not a list of file indices and ranges such as 0,2,4-6"),
                bad(XT + "&so=1,,2", "so=1,,2 is not a list"),
                bad(XT + "&so=1-", "so=1- is not a list"),
                bad(XT + "&so=-1", "so=-1 is not a list"),
                bad(XT + "&so=1-2-3", "so=1-2-3 is not a list"),
                bad(XT + "&so=a", "so=a is not a list"),
                bad(XT + "&so=6-4", "so=6-4: the range 6-4 runs backwards"),
                bad(XT + "&so=1234567890", "the file index 1234567890 is too large"),
                bad(XT + "&so=0-100000", "so selects more than 100000 files"),
                bad(XT + "&so=0-50000&so=50001-100000", "so selects more than 100000 files"),
                bad(XT + "&so=0-999999999", "so selects more than 100000 files"));
    }

    private static String[] bad(String link, String message) {
        return new String[] {link, message};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLinks")
    void refusesAMalformedLinkSayingWhatIsWrong(String link, String message) {
        assertThatThrownBy(() -> MagnetLink.parse(link))
                .isInstanceOf(MetainfoException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void writesEveryValueEscaped() throws Exception {
        MagnetLink link = new MagnetLink(HASH, Optional.of("a b+c/ä&"), List.of("http://t.example/a?x=1&y=%"),
                List.of(new InetSocketAddress(ip(10, 0, 0, 1), 6881)), List.of("https://ws.example/"), List.of(0, 2, 3));

        assertThat(link.uri()).isEqualTo(XT + "&dn=a%20b%2Bc%2F%C3%A4%26"
                + "&tr=http%3A%2F%2Ft.example%2Fa%3Fx%3D1%26y%3D%25"
                + "&ws=https%3A%2F%2Fws.example%2F&x.pe=10.0.0.1:6881&so=0,2-3");
        assertThat(link.toString()).isEqualTo(link.uri());
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        MagnetLink link = new MagnetLink(HASH, Optional.of("name with spaces, ünïcödé & 100% \uD83E\uDDF2 ~-._+"),
                List.of("udp://tracker.example:6969/announce", "http://t.example/ann?passkey=a%2Bb&x= y"),
                List.of(new InetSocketAddress(ip(192, 0, 2, 1), 1),
                        new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 65535),
                        new InetSocketAddress(InetAddress.getByName("::1"), 6881),
                        InetSocketAddress.createUnresolved("peer.example", 51413)),
                List.of("https://mirror.example/files/", "http://m.example/a b"),
                IntStream.of(0, 1, 2, 7, 9, 10).boxed().toList());

        MagnetLink back = MagnetLink.parse(link.uri());

        assertThat(back).isEqualTo(link);
        assertThat(back.uri()).isEqualTo(link.uri());
        assertThat(link.uri()).contains("&x.pe=[2001:db8::1:0:0:1]:65535&x.pe=[::1]:6881");
    }

    @Test
    void normalisesWhatItHolds() {
        MagnetLink link = new MagnetLink(HASH, Optional.of(""), List.of(" udp://a:1 ", "udp://a:1", ""),
                List.of(), List.of(), List.of(5, 1, 5));

        assertThat(link.name()).isEmpty();
        assertThat(link.trackers()).containsExactly("udp://a:1");
        assertThat(link.selectOnly()).containsExactly(1, 5);
        assertThatThrownBy(() -> new MagnetLink(HASH, Optional.empty(), List.of(), List.of(), List.of(), List.of(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Map<String, String>> realTorrents() {
        return TestData.tsv(TestData.dir("real").resolve("EXPECTED.tsv")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realTorrents")
    void linksARealTorrent(Map<String, String> row) throws Exception {
        Metainfo torrent = MetainfoParser.read(TestData.dir("real").resolve(row.get("file")));

        MagnetLink link = MagnetLink.of(torrent);

        assertThat(link.infoHash().hex()).isEqualTo(row.get("info_hash_v1"));
        assertThat(link.uri()).startsWith("magnet:?xt=urn:btih:" + row.get("info_hash_v1") + "&dn=");
        assertThat(link.name()).contains(row.get("name"));
        assertThat(link.trackers()).isEqualTo(torrent.trackers());
        assertThat(link.webSeeds()).isEqualTo(torrent.webSeeds());
        assertThat(MagnetLink.parse(link.uri())).isEqualTo(link);
    }

    @Test
    void linksATorrentTierByTier() throws Exception {
        Metainfo torrent = MetainfoParser.read(Path.of(TestData.dir("real").toString(),
                "ubuntu-17.10-desktop-amd64.iso.torrent"));

        assertThat(MagnetLink.of(torrent).uri()).isEqualTo("magnet:?xt=urn:btih:" + torrent.infoHash().hex()
                + "&dn=ubuntu-17.10-desktop-amd64.iso"
                + "&tr=http%3A%2F%2Ftorrent.ubuntu.com%3A6969%2Fannounce"
                + "&tr=http%3A%2F%2Fipv6.torrent.ubuntu.com%3A6969%2Fannounce");
    }

    @Test
    void turnsTheMetadataIntoATorrentOnceItsHashMatches() throws Exception {
        Metainfo torrent = MetainfoParser.read(TestData.dir("good").resolve("unsorted-info-keys.torrent"));
        MagnetLink link = MagnetLink.parse(MagnetLink.of(torrent).uri() + "&tr=udp://extra:1&ws=http://ws/");

        Metainfo fromLink = link.toMetainfo(torrent.infoBytes());

        assertThat(fromLink.infoHash()).isEqualTo(torrent.infoHash());
        assertThat(fromLink.infoBytes()).isEqualTo(torrent.infoBytes());
        assertThat(fromLink.files()).isEqualTo(torrent.files());
        assertThat(fromLink.trackerTiers()).isEqualTo(link.trackerTiers());
        assertThat(fromLink.webSeeds()).containsExactly("http://ws/");

        MagnetLink other = new MagnetLink(HASH, Optional.empty(), List.of(), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> other.toMetainfo(torrent.infoBytes()))
                .isInstanceOf(MetainfoException.class)
                .hasMessage("the metadata received hashes to " + torrent.infoHash()
                        + ", not to the magnet link's info hash " + HEX);
    }

    private static InetAddress ip(int a, int b, int c, int d) throws Exception {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }
}
