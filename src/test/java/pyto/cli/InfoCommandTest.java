package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final InfoCommand info = new InfoCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void showsWhatAMagnetLinkHolds() throws Exception {
        int code = info.run(List.of("magnet:?xt=urn:btih:" + HEX + "&dn=Some+name&tr=udp%3A%2F%2Ft.example%3A1"
                + "&x.pe=[2001:db8::7]:6881&x.pe=peer.example:51413&ws=http%3A%2F%2Fws.example%2F&so=0,2-4"));

        assertThat(code).isEqualTo(Main.OK);
        assertThat(output()).isEqualTo("""
                name:        Some name
                info hash:   c12fe1c06bba254a9dc9f519b335aa7c1367a88a
                trackers:    1
                  udp://t.example:1
                peers:       2
                  [2001:db8::7]:6881
                  peer.example:51413
                web seeds:   1
                  http://ws.example/
                select only: files 0,2-4 (BEP 53; counted from 0)
                """);
    }

    @Test
    void saysWhenTheNameIsNotKnownYet() throws Exception {
        info.run(List.of("magnet:?xt=urn:btih:" + HEX));

        assertThat(output()).isEqualTo("""
                name:        unknown until the metadata arrives
                info hash:   c12fe1c06bba254a9dc9f519b335aa7c1367a88a
                trackers:    none (peers from DHT, x.pe or --peer only)
                peers:       none
                web seeds:   none
                """);
    }

    @Test
    void showsTheMagnetLinkOfATorrentFile() throws Exception {
        Path torrent = Path.of(System.getProperty("pyto.testdata", "testdata"), "real",
                "ubuntu-17.10-desktop-amd64.iso.torrent");

        info.run(List.of(torrent.toString()));

        assertThat(output()).contains("\nmagnet:      magnet:?xt=urn:btih:")
                .contains("&dn=ubuntu-17.10-desktop-amd64.iso&tr=http%3A%2F%2Ftorrent.ubuntu.com%3A6969%2Fannounce");
    }

    @Test
    void aMalformedLinkIsOneLineAndExitCode2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"info", "magnet:?xt=urn:btih:" + HEX.substring(2)},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("pyto: bad magnet link: the info hash in xt has 38"
                + " characters; it must be 40 hex digits or 32 base32 characters" + System.lineSeparator());
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
