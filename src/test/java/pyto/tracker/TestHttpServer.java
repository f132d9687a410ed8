package pyto.tracker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import pyto.concurrent.Scope;

/**
 * A scripted HTTP server on 127.0.0.1 for client tests: for each request it records the target
 * and writes whatever raw bytes the script returns for it (a broken reply is the point), then
 * closes the connection. A script returning null leaves the client waiting.
 */
final class TestHttpServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Scope scope = new Scope("test-http");
    private final Function<String, byte[]> script;
    private final List<String> targets = new CopyOnWriteArrayList<>();

    private TestHttpServer(ServerSocket listener, Function<String, byte[]> script) {
        this.listener = listener;
        this.script = script;
    }

    static TestHttpServer start(Function<String, byte[]> script) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TestHttpServer server = new TestHttpServer(listener, script);
        server.scope.fork("accept", server::accept);
        return server;
    }

    /** {@code http://127.0.0.1:port} followed by {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    /** The request targets received so far, in order. */
    List<String> targets() {
        return List.copyOf(targets);
    }

    /** A 200 reply with a Content-Length. */
    static byte[] ok(byte[] body) {
        return reply("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    static byte[] reply(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] reply(String head, String body) {
        return reply(head, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void accept() throws IOException {
        while (true) {
            Socket socket = listener.accept();
            scope.fork("conn", () -> serve(socket));
        }
    }

    private void serve(Socket socket) throws IOException, InterruptedException {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = readHead(in);
            String target = requestLine.split(" ")[1];
            targets.add(target);
            byte[] response = script.apply(target);
            if (response == null) {
                Thread.sleep(60_000); // a tracker that never answers; the scope's close interrupts this
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(response);
            out.flush();
        }
    }

    /** Reads up to the blank line; returns the request line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int newlines = 0;
        int b;
        while (newlines < 2 && (b = in.read()) >= 0) {
            head.write(b);
            newlines = b == '\n' ? newlines + 1 : b == '\r' ? newlines : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf('\r'));
    }

    @Override
    public void close() throws IOException {
        listener.close();
        scope.close();
    }
}
