package pyto.daemon;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromium, headless, in a process of its own with a fresh profile, and its one page
 * driven over the DevTools protocol ({@link Cdp}): scripts evaluated in the page, real mouse
 * clicks and typing (Input events, so the page sees what a user's browser sends it), files
 * given to a file input, screenshots. The flags are those that work on these machines: no
 * sandbox (root), no GPU, and none of the browser's own network traffic.
 *
 * <p>Used by one thread, {@link BrowserCheck}'s.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Cdp cdp;

    private HeadlessChromium(Process process, Cdp cdp) {
        this.process = process;
        this.cdp = cdp;
    }

    /** Starts chromium with an empty profile under {@code work}, and connects to its page. */
    static HeadlessChromium start(Path chromium, Path work) throws IOException, InterruptedException {
        Path profile = work.resolve("chromium-profile");
        Files.createDirectories(profile);
        Path log = work.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(chromium.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--disable-quic", "--mute-audio", "--force-color-profile=srgb", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--remote-debugging-port=0", "about:blank"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            URI browser = awaitDevTools(p, log);
            URI page = pageTarget(browser);
            return new HeadlessChromium(p, Cdp.connect(page, TIMEOUT));
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(p);
            throw e;
        }
    }

    private static URI awaitDevTools(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!p.isAlive()) {
                throw new IOException("chromium ended (exit " + p.exitValue() + ") before it listened; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IOException("chromium did not open its DevTools port within 30 s; see " + log);
    }

    /** The page target's WebSocket, from the browser's /json/list. */
    private static URI pageTarget(URI browser) throws IOException, InterruptedException {
        URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            try {
                if (JsonReader.read(r.body()) instanceof Json.Arr targets) {
                    for (Json t : targets.items()) {
                        if ("page".equals(Cdp.string(t, "type")) && Cdp.string(t, "webSocketDebuggerUrl") != null) {
                            return URI.create(Cdp.string(t, "webSocketDebuggerUrl"));
                        }
                    }
                }
            } catch (JsonException e) {
                throw new IOException("chromium's /json/list is not JSON: " + e.getMessage());
            }
            Thread.sleep(100);
        }
        throw new IOException("chromium has no page to drive");
    }

    Cdp cdp() {
        return cdp;
    }

    // ---- the page ---------------------------------------------------------------------------------

    /** A JavaScript string literal of {@code s} (JSON's, with < > & escaped too). */
    static String js(String s) {
        return JsonWriter.write(Json.of(s));
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its value; null for undefined. */
    Json eval(String expression) throws IOException, InterruptedException {
        Json.Obj r = cdp.call("Runtime.evaluate", Cdp.params("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.get("exceptionDetails").isPresent()) {
            String text = Cdp.string(r, "exceptionDetails.exception.description");
            throw new IOException("the page's script failed: " + (text != null ? text : Cdp.string(r, "exceptionDetails.text"))
                    + "\n  in: " + expression);
        }
        return Cdp.at(r, "result.value");
    }

    boolean evalBoolean(String expression) throws IOException, InterruptedException {
        return eval(expression) instanceof Json.Bool b && b.value();
    }

    String evalString(String expression) throws IOException, InterruptedException {
        Json v = eval(expression);
        return v instanceof Json.Str s ? s.value() : v == null || v instanceof Json.Null ? null : JsonWriter.write(v);
    }

    long evalLong(String expression) throws IOException, InterruptedException {
        return eval(expression) instanceof Json.Num n ? n.value().longValue() : -1;
    }

    /** Polls {@code condition} (a JavaScript expression) every 100 ms until it is true. */
    void await(String what, String condition, Duration timeout) throws IOException, InterruptedException {
        awaitCondition(what, () -> {
            try {
                return evalBoolean(condition);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, timeout);
    }

    static void awaitCondition(String what, BooleanSupplier condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    void navigate(String url) throws IOException, InterruptedException {
        cdp.call("Page.navigate", Cdp.params("url", url));
    }

    /**
     * Clicks the middle of the element {@code element} (a JavaScript expression) with the
     * mouse, as a user would: pressed and released there, so that whatever is on top gets it.
     */
    void click(String element) throws IOException, InterruptedException {
        Json box = eval("(() => { const e = " + element + "; if (!e) return null; e.scrollIntoView({block: 'nearest'});"
                + " const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2, b.width, b.height]; })()");
        if (!(box instanceof Json.Arr a) || a.items().size() != 4) {
            throw new IOException("nothing to click: " + element);
        }
        double x = ((Json.Num) a.items().get(0)).value().doubleValue();
        double y = ((Json.Num) a.items().get(1)).value().doubleValue();
        if (((Json.Num) a.items().get(2)).value().doubleValue() == 0) {
            throw new IOException("not visible, so not clickable: " + element);
        }
        cdp.call("Input.dispatchMouseEvent", Cdp.params("type", "mouseMoved", "x", x, "y", y));
        cdp.call("Input.dispatchMouseEvent", Cdp.params("type", "mousePressed", "x", x, "y", y, "button", "left",
                "clickCount", 1));
        cdp.call("Input.dispatchMouseEvent", Cdp.params("type", "mouseReleased", "x", x, "y", y, "button", "left",
                "clickCount", 1));
    }

    /** Clicks the element {@code selector} names. */
    void clickOn(String selector) throws IOException, InterruptedException {
        click("document.querySelector(" + js(selector) + ")");
    }

    /** Types {@code text} where the focus is, as a keyboard's input method would. */
    void type(String text) throws IOException, InterruptedException {
        cdp.call("Input.insertText", Cdp.params("text", text));
    }

    /** Gives files to a file input, as if chosen in the browser's file dialog. */
    void setFiles(String selector, List<Path> files) throws IOException, InterruptedException {
        Json.Obj doc = cdp.call("DOM.getDocument", Cdp.params("depth", 0));
        Json root = Cdp.at(doc, "root.nodeId");
        Json.Obj node = cdp.call("DOM.querySelector", Cdp.params("nodeId", root, "selector", selector));
        Json nodeId = node.get("nodeId").orElseThrow(() -> new IOException("no " + selector));
        cdp.call("DOM.setFileInputFiles", Cdp.params("nodeId", nodeId,
                "files", Json.array(files.stream().map(f -> Json.of(f.toAbsolutePath().toString())).toList())));
    }

    /** Drags files from outside the browser and drops them at (x, y), as from a file manager. */
    void dropFiles(List<Path> files, double x, double y) throws IOException, InterruptedException {
        Json.Obj data = Cdp.params("items", Json.array(List.of()), "dragOperationsMask", 1,
                "files", Json.array(files.stream().map(f -> Json.of(f.toAbsolutePath().toString())).toList()));
        for (String type : List.of("dragEnter", "dragOver", "drop")) {
            cdp.call("Input.dispatchDragEvent", Cdp.params("type", type, "x", x, "y", y, "data", data));
        }
    }

    /** The window's size, as a desktop (mobile false) or a phone (mobile true, touch, a dense screen). */
    void viewport(int width, int height, double scale, boolean mobile) throws IOException, InterruptedException {
        cdp.call("Emulation.setDeviceMetricsOverride", Cdp.params("width", width, "height", height,
                "deviceScaleFactor", scale, "mobile", mobile));
        cdp.call("Emulation.setTouchEmulationEnabled", Cdp.params("enabled", mobile));
    }

    /** Saves what the window shows as a PNG. */
    void screenshot(Path png) throws IOException, InterruptedException {
        Thread.sleep(300); // one more frame, so a change just made is painted
        Json.Obj r = cdp.call("Page.captureScreenshot", Cdp.params("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(Cdp.string(r, "data")));
    }

    @Override
    public void close() {
        cdp.close();
        stop(process);
    }

    /** Ends chromium and every process it started (renderers, zygotes), which it does not always take with it. */
    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(c -> c.destroyForcibly());
    }
}
