package pyto.daemon;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A small client of Chrome's DevTools protocol over the JDK's {@link WebSocket}: commands
 * ({@code {"id", "method", "params"}}, answered by {@code {"id", "result"}} or {@code {"id",
 * "error"}}) and events ({@code {"method", "params"}}). JSON is pyto's own {@link Json}.
 *
 * <p>Threads: the WebSocket's listener only parses and hands over; replies complete the
 * caller's future, events run one at a time on a thread of their own, so a handler may send
 * commands (without waiting for their answers). Sends are serialised: the JDK's WebSocket
 * takes one outstanding send at a time.
 */
final class Cdp implements AutoCloseable {

    static final class CdpException extends IOException {
        CdpException(String message) {
            super(message);
        }
    }

    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Json.Obj>> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<Json.Obj>>> handlers = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cdp-events");
        t.setDaemon(true);
        return t;
    });
    private final ReentrantLock sending = new ReentrantLock();
    private final Duration timeout;
    private volatile WebSocket socket;
    private volatile String closedBecause;

    private Cdp(Duration timeout) {
        this.timeout = timeout;
    }

    /** Connects to a target's WebSocket, as /json/list names it. */
    static Cdp connect(URI webSocketUrl, Duration timeout) throws IOException, InterruptedException {
        Cdp cdp = new Cdp(timeout);
        try {
            cdp.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(webSocketUrl, cdp.new Listener()).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to the browser at " + webSocketUrl + ": " + e, e);
        }
        return cdp;
    }

    /** Runs {@code handler} for each {@code event} ("Domain.event"), on the event thread. */
    void on(String event, Consumer<Json.Obj> handler) {
        handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Sends a command and waits for its result. */
    Json.Obj call(String method, Json.Obj params) throws IOException, InterruptedException {
        CompletableFuture<Json.Obj> reply = send(method, params);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CdpException(method + ": no answer from the browser within " + timeout.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    Json.Obj call(String method) throws IOException, InterruptedException {
        return call(method, Json.object().build());
    }

    /** Sends a command without waiting (for event handlers); a failure is printed. */
    void post(String method, Json.Obj params) {
        try {
            send(method, params).whenComplete((r, e) -> {
                if (e != null && closedBecause == null) {
                    System.err.println("cdp: " + method + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            System.err.println("cdp: " + method + ": " + e.getMessage());
        }
    }

    private CompletableFuture<Json.Obj> send(String method, Json.Obj params) throws IOException {
        if (closedBecause != null) {
            throw new CdpException("the browser connection is closed: " + closedBecause);
        }
        int id = nextId.incrementAndGet();
        CompletableFuture<Json.Obj> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String text = JsonWriter.write(Json.object().put("id", id).put("method", method).put("params", params).build());
        sending.lock();
        try {
            socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdpException(method + ": interrupted");
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            pending.remove(id);
            throw new CdpException(method + ": cannot send: " + e);
        } finally {
            sending.unlock();
        }
        return reply.thenCompose(r -> r.get("error").isPresent()
                ? CompletableFuture.failedFuture(new CdpException(method + ": " + JsonWriter.write(r.get("error").get())))
                : CompletableFuture.completedFuture(r.get("result").orElse(Json.object().build()) instanceof Json.Obj o
                        ? o : Json.object().build()));
    }

    private void dispatch(String text) {
        Json message;
        try {
            message = JsonReader.read(text);
        } catch (JsonException e) {
            System.err.println("cdp: unreadable message: " + e.getMessage());
            return;
        }
        if (!(message instanceof Json.Obj m)) {
            return;
        }
        if (m.get("id").orElse(Json.NULL) instanceof Json.Num n) {
            CompletableFuture<Json.Obj> f = pending.remove(n.value().intValue());
            if (f != null) {
                f.complete(m);
            }
        } else if (m.get("method").orElse(Json.NULL) instanceof Json.Str method) {
            List<Consumer<Json.Obj>> list = handlers.get(method.value());
            if (list != null) {
                Json.Obj params = m.get("params").orElse(Json.object().build()) instanceof Json.Obj p ? p : Json.object().build();
                events.execute(() -> list.forEach(h -> {
                    try {
                        h.accept(params);
                    } catch (RuntimeException e) {
                        System.err.println("cdp: handler of " + method.value() + " failed: " + e);
                    }
                }));
            }
        }
    }

    private void closed(String why) {
        closedBecause = why;
        pending.values().forEach(f -> f.completeExceptionally(new CdpException("the browser connection closed: " + why)));
        pending.clear();
    }

    @Override
    public void close() {
        if (closedBecause == null) {
            closed("closed by the check");
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
        events.shutdownNow();
    }

    private final class Listener implements WebSocket.Listener {
        private StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text = new StringBuilder();
                dispatch(message);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed("closed by the browser (" + status + " " + reason + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed("error: " + error);
        }
    }

    // ---- reading results ------------------------------------------------------------------------

    /** The value at a dotted path of objects ("result.value"), or null. */
    static Json at(Json value, String path) {
        Json v = value;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Json.Obj o)) {
                return null;
            }
            v = o.get(part).orElse(null);
        }
        return v;
    }

    static String string(Json value, String path) {
        return at(value, path) instanceof Json.Str s ? s.value() : null;
    }

    static Json.Obj params(Object... namesAndValues) {
        Json.ObjBuilder b = Json.object();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            switch (namesAndValues[i + 1]) {
                case Json j -> b.put(name, j);
                case String s -> b.put(name, s);
                case Integer n -> b.put(name, (long) n);
                case Long n -> b.put(name, n);
                case Double d -> b.put(name, d);
                case Boolean x -> b.put(name, x);
                default -> throw new IllegalArgumentException("no JSON for " + namesAndValues[i + 1]);
            }
        }
        return b.build();
    }
}
