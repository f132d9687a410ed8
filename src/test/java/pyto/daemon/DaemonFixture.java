package pyto.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;
import pyto.metainfo.TorrentCreator;
import pyto.session.DhtSettings;
import pyto.session.Session;
import pyto.session.Torrent;
import pyto.tracker.Announcer;
import pyto.tracker.TrackerServer;

/**
 * A daemon on loopback for tests, with what it needs around it: a payload of random files,
 * a torrent of it announced to an embedded tracker, a seeder session that has the data, and
 * ways to talk to the daemon (an {@link RpcClient}, and raw HTTP for the security rules).
 * Everything is on 127.0.0.1 on free ports; {@link #close()} stops it all.
 */
final class DaemonFixture implements AutoCloseable {

    static final String PASSWORD = "secret-of-the-test";
    static final Announcer.Config FAST_ANNOUNCES =
            new Announcer.Config(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(2));

    final Path root;
    final Path payload;
    final byte[] torrentBytes;
    final Metainfo metainfo;
    final TrackerServer tracker;
    private final List<Session> seeders = new ArrayList<>();
    Daemon daemon;
    RpcClient client;
    private String sessionId;

    private DaemonFixture(Path root, Path payload, byte[] torrentBytes, TrackerServer tracker) throws IOException {
        this.root = root;
        this.payload = payload;
        this.torrentBytes = torrentBytes;
        this.metainfo = MetainfoParser.parse(torrentBytes);
        this.tracker = tracker;
    }

    /** A payload called {@code name}, of random files of these sizes, in pieces of {@code pieceLength}. */
    static DaemonFixture create(Path root, String name, int pieceLength, long... sizes) throws IOException {
        Path payload = Files.createDirectories(root.resolve("seed").resolve(name));
        Random random = new Random(11);
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[Math.toIntExact(sizes[i])];
            random.nextBytes(data);
            Path file = payload.resolve(i == 1 ? "sub/file" + i + ".bin" : "file" + i + ".bin");
            Files.createDirectories(file.getParent());
            Files.write(file, data);
        }
        TrackerServer tracker = TrackerServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                TrackerServer.Config.DEFAULTS.withInterval(Duration.ofSeconds(1)).withUdpPort(TrackerServer.Config.UDP_OFF));
        byte[] torrent = TorrentCreator.create(payload, TorrentCreator.Options.defaults().withPieceLength(pieceLength)
                .withTrackerTiers(List.of(List.of(tracker.announceUrl()))), (done, total) -> { });
        return new DaemonFixture(root, payload, torrent, tracker);
    }

    static Session.Config loopbackSession() {
        return Session.Config.defaults().withBind(InetAddress.getLoopbackAddress()).withPort(0)
                .withAnnouncer(FAST_ANNOUNCES).withDht(DhtSettings.OFF);
    }

    /** A seeder of the payload, returned once it has checked its data. */
    Session seeder() throws IOException, InterruptedException {
        Session s = Session.start(loopbackSession());
        seeders.add(s);
        Torrent t = s.add(metainfo, root.resolve("seed"));
        assertThat(t.awaitState(Set.of(Torrent.State.SEEDING), Duration.ofSeconds(10))).isEqualTo(Torrent.State.SEEDING);
        return s;
    }

    Path state() {
        return root.resolve("state");
    }

    Path downloads() {
        return root.resolve("dl");
    }

    DaemonConfig config() {
        return DaemonConfig.defaults(state()).withDownloadDir(downloads()).withSession(loopbackSession())
                .withRpc(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Set.of("pyto.example"))
                .withRpcPassword(PASSWORD);
    }

    /** Starts (or starts again) the daemon. */
    Daemon startDaemon() throws IOException {
        return startDaemon(config());
    }

    Daemon startDaemon(DaemonConfig config) throws IOException {
        daemon = Daemon.start(config);
        client = new RpcClient(URI.create("http://" + Daemon.hostPort(daemon.rpcAddress()) + "/transmission/rpc"),
                Optional.of("pyto:" + PASSWORD), Duration.ofSeconds(30));
        sessionId = fetchSessionId();
        return daemon;
    }

    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    Json.Obj call(String method, Json.Obj args) throws Exception {
        return client.call(method, args);
    }

    String base64Torrent() {
        return Base64.getEncoder().encodeToString(torrentBytes);
    }

    /** The one torrent's fields, by id. */
    Json.Obj torrent(int id, String... fields) throws Exception {
        return torrent(Json.of(id), fields);
    }

    /** The one torrent's fields, by info hash. */
    Json.Obj torrent(String hash, String... fields) throws Exception {
        return torrent(Json.array(List.of(Json.of(hash))), fields);
    }

    private Json.Obj torrent(Json id, String... fields) throws Exception {
        Json.Obj reply = call("torrent-get", Json.object().put("ids", id)
                .put("fields", Json.array(Stream.of(fields).map(Json::of).toList())).build());
        List<Json> torrents = ((Json.Arr) reply.get("torrents").orElseThrow()).items();
        assertThat(torrents).as("torrent " + id).hasSize(1);
        return (Json.Obj) torrents.getFirst();
    }

    static long number(Json.Obj o, String name) {
        return ((Json.Num) o.get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + o))).value().longValue();
    }

    static double decimal(Json.Obj o, String name) {
        return ((Json.Num) o.get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + o))).value().doubleValue();
    }

    static String string(Json.Obj o, String name) {
        return ((Json.Str) o.get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + o))).value();
    }

    /** Every file of the payload is below {@code dir} with the same bytes. */
    void assertSameData(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(payload)) {
            for (Path original : files.filter(Files::isRegularFile).toList()) {
                Path copy = dir.resolve(metainfo.name()).resolve(payload.relativize(original).toString());
                assertThat(copy).exists();
                assertThat(Files.mismatch(original, copy)).as("first differing byte of " + copy).isEqualTo(-1L);
            }
        }
    }

    // ---- raw HTTP, for the rules a normal client never breaks ---------------------------------

    /** A reply read off the wire: status, headers (names in lower case), body. */
    record Raw(int status, Map<String, String> headers, String body) {
    }

    /** Sends {@code request} as it is (CRLFs included) and reads one reply. */
    Raw raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    Raw raw(byte[] request) throws IOException {
        try (Socket s = new Socket(daemon.rpcAddress().getAddress(), daemon.rpcAddress().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return readReply(s.getInputStream());
        }
    }

    static Raw readReply(InputStream in) throws IOException {
        String statusLine = line(in);
        assertThat(statusLine).startsWith("HTTP/1.1 ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Raw(Integer.parseInt(statusLine.substring(9, 12)), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after: " + s);
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    /** A POST to the RPC with the right host, password and session id unless the caller's headers replace them. */
    byte[] rpcRequest(String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", Daemon.hostPort(daemon.rpcAddress()));
        h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(("pyto:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        h.put("X-Transmission-Session-Id", sessionId());
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] == null) {
                h.remove(headers[i]);
            } else {
                h.put(headers[i], headers[i + 1]);
            }
        }
        StringBuilder r = new StringBuilder("POST /transmission/rpc HTTP/1.1\r\n");
        h.forEach((name, value) -> r.append(name).append(": ").append(value).append("\r\n"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = r.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n")
                .toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + bytes.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    /** The session id the daemon handed out in its 409 when it started. */
    String sessionId() {
        return sessionId;
    }

    private String fetchSessionId() {
        try {
            Raw r = raw("POST /transmission/rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(("pyto:" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).isEqualTo(409);
            return r.headers().get("x-transmission-session-id");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        stopDaemon();
        seeders.forEach(Session::close);
        tracker.close();
    }
}
