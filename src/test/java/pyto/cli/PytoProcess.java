package pyto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import pyto.metainfo.InfoHash;
import pyto.wire.Handshake;
import pyto.wire.PeerId;

/**
 * pyto run as its users run it: {@code java -jar pyto.jar ARGS} in a process of its own, on
 * the JDK that runs the tests, with the jar failsafe names in the system property
 * {@code pyto.jar}. Output goes to files (a pipe nobody reads could fill and stall the
 * process). Every process is destroyed by {@link #close()}, so a test that fails half-way
 * leaves nothing running.
 */
final class PytoProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private PytoProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code pyto ARGS}; {@code logs} gets NAME.out and NAME.err. */
    static PytoProcess start(Path logs, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-jar", jar().toString()));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("PYTO_PLAIN", "1");
        // The DHT and the daemon keep state in the user's state directory: a test's stays in the test's.
        builder.environment().put("XDG_STATE_HOME", logs.resolve("state").toAbsolutePath().toString());
        return new PytoProcess(builder.start(), out, err);
    }

    /** Runs {@code pyto ARGS} to its end (a minute at most) and returns it, ended. */
    static PytoProcess run(Path logs, String name, String... args) throws IOException, InterruptedException {
        PytoProcess p = start(logs, name, args);
        p.awaitExit(60);
        return p;
    }

    /** Waits for the process to end; fails the test, after destroying it, if it takes longer. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("pyto did not end within " + seconds + " s\nstdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the tracker. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("killed process ended").isTrue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** For assertion messages: what the process printed. */
    String transcript() {
        return "exit " + (process.isAlive() ? "(running)" : process.exitValue())
                + "\n--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Ctrl-C would, then SIGKILL if it is still there after 10 s (or at once, if interrupted). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port that was free a moment ago, for a process that must be told its port. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits (30 s at most) until something accepts connections on 127.0.0.1:{@code port}. */
    static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing listens on port " + port + " after 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Waits (30 s at most) until a pyto process on {@code port} answers a handshake for
     * {@code infoHash}: it listens and has checked its data (until then it hangs up at once).
     */
    static void awaitPeer(int port, InfoHash infoHash) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5_000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                Handshake.of(infoHash, PeerId.generate()).write(out);
                out.flush();
                Handshake.read(new DataInputStream(s.getInputStream()));
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no peer answers on port " + port + " after 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Every file under {@code original} is under {@code copy} with the same bytes (empty files too). */
    static void assertSameTree(Path original, Path copy) throws IOException {
        try (Stream<Path> paths = Files.walk(original)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                Path c = copy.resolve(original.relativize(p).toString());
                assertThat(c).as("downloaded " + c).exists();
                assertThat(Files.mismatch(p, c)).as("first differing byte of " + c).isEqualTo(-1L);
            }
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs the tests"));
    }

    private static Path jar() {
        String jar = System.getProperty("pyto.jar");
        assertThat(jar).as("system property pyto.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).as("the built jar").exists();
        return Path.of(jar);
    }
}
