package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pyto.daemon.Daemon;
import pyto.daemon.DaemonConfig;
import pyto.metainfo.TorrentCreator;
import pyto.session.DhtSettings;
import pyto.session.Session;

/**
 * {@code pyto remote} against a daemon in this JVM: every command, what it prints, and what it
 * says when the daemon refuses or the command line is wrong. The password comes from the
 * daemon's state directory, as a user's would.
 */
class RemoteCommandTest {

    @TempDir
    Path dir;
    private Daemon daemon;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Path torrent;

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("src/album"));
        Files.writeString(data.resolve("a.txt"), "hello, world\n".repeat(1000));
        Files.writeString(data.resolve("b.txt"), "more\n");
        torrent = Files.write(dir.resolve("album.torrent"), TorrentCreator.create(data,
                TorrentCreator.Options.defaults().withPieceLength(16 * 1024), (d, t) -> { }));
        daemon = Daemon.start(DaemonConfig.defaults(dir.resolve("state")).withDownloadDir(dir.resolve("dl"))
                .withSession(Session.Config.defaults().withBind(InetAddress.getLoopbackAddress()).withPort(0)
                        .withDht(DhtSettings.OFF))
                .withRpc(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Set.of()));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private String remote(String... args) throws Exception {
        bytes.reset();
        List<String> all = new ArrayList<>(List.of("--rpc", "http://127.0.0.1:" + daemon.rpcAddress().getPort(),
                "--state", dir.resolve("state").toString()));
        all.addAll(List.of(args));
        int code = new RemoteCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(all);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        return out;
    }

    @Test
    void everyCommand() throws Exception {
        assertThat(remote("add", torrent.toString(), "--paused", "-d", dir.resolve("dl/music").toString()))
                .startsWith("added: album (id 1, ");
        assertThat(remote("add", torrent.toString())).startsWith("already there: album (id 1, ");
        assertThat(remote("list")).contains("ID    Done        Size", "   1    0.0%    12.7 KiB", "stopped      album",
                "1 torrent, down 0 B/s, up 0 B/s");
        assertThat(remote("info", "1")).contains("album\n  id:          1\n", "  state:       stopped\n",
                "  location:    " + dir.resolve("dl").toRealPath().resolve("music") + "\n");
        assertThat(remote("files", "1")).contains("album (2 files)", "0    0.0%    12.7 KiB  album/a.txt",
                "1    0.0%         5 B  album/b.txt");
        assertThat(remote("start", "all")).isEqualTo("started all\n");
        assertThat(remote("limits", "--down", "2M", "--up", "0")).isEqualTo("limits set: down 2098 kB/s, up unlimited\n");
        assertThat(remote("limits")).isEqualTo("daemon: 2098 kB/s down, unlimited up\n");
        assertThat(daemon.peerPort()).isPositive();
        String hash = remote("info", "1").lines().filter(l -> l.contains("info hash")).findFirst().orElseThrow()
                .replaceAll(".*: *", "");
        assertThat(remote("limits", hash, "--up", "100k")).startsWith("limits set for " + hash);
        assertThat(remote("limits", "1")).isEqualTo("album: unlimited down, 103 kB/s up\n");
        assertThat(remote("stop", "1")).isEqualTo("stopped 1\n");
        assertThat(remote("remove", "1", "--delete")).isEqualTo("removed 1, and its data deleted\n");
        assertThat(remote("list")).endsWith("0 torrents, down 0 B/s, up 0 B/s\n");
    }

    @Test
    void refusalsAndMistakes() throws Exception {
        RemoteCommand command = new RemoteCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String rpc = "http://127.0.0.1:" + daemon.rpcAddress().getPort();
        String state = dir.resolve("state").toString();
        assertThat(command.run(List.of("--rpc", rpc, "--state", state, "info", "7"))).isEqualTo(Main.FAILURE);
        assertThat(command.run(List.of("--rpc", rpc, "--state", state, "add", torrent.toString(), "-d", "/etc")))
                .as("outside the download roots").isEqualTo(Main.FAILURE);
        assertThat(command.run(List.of("--rpc", rpc, "--auth", "pyto:wrong", "list"))).isEqualTo(Main.FAILURE);
        assertThatThrownBy(() -> command.run(List.of("--rpc", rpc, "info", "x1"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> command.run(List.of("--rpc", rpc, "stop", "1", "--delete")))
                .hasMessage("--delete does not go with stop");
        assertThatThrownBy(() -> command.run(List.of("--rpc", rpc, "frobnicate"))).hasMessageContaining("unknown remote command");
        assertThatThrownBy(() -> command.run(List.of("--rpc", "ftp://x", "list"))).hasMessageContaining("http://");
    }
}
