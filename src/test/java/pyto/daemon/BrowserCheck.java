package pyto.daemon;

import static pyto.daemon.HeadlessChromium.js;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import pyto.bencode.BDict;
import pyto.bencode.BValue;
import pyto.bencode.BencodeDecoder;
import pyto.metainfo.Metainfo;
import pyto.metainfo.MetainfoParser;

/**
 * The daemon's web page in a real browser (Debian's chromium, headless, driven over its
 * DevTools protocol): the built jar runs a tracker, a seeder of a small payload and
 * {@code pyto daemon} with a fresh state directory and download root, each a process of its
 * own, and the page is used as a person would: signed in through the browser's Basic-auth
 * challenge, torrents added with the file picker (two .torrent files at once) and a pasted
 * magnet link, a speed limit set and lifted, the download watched to 100% in the list, the
 * details tabs opened, the torrent stopped, started and removed with its data (the files are
 * gone), the filters and the name filter used. Names with HTML in them must show as text.
 * It also checks what the security headers do in the browser (an inline script and a style
 * attribute are refused, the page will not be framed) and that the page polls as it should
 * ("recently-active" after the first full list, heavy fields only for the selected torrent).
 * Screenshots go to the output directory.
 *
 * <pre>java -cp target/pyto.jar:CLASSES pyto.daemon.BrowserCheck --jar target/pyto.jar
 *      --chromium /usr/bin/chromium --work DIR --out target/web</pre>
 *
 * Prints a line per step, then {@code PASS ...} or {@code FAIL reason} last; exits 0 or 1.
 * One thread (the browser's events arrive on {@link Cdp}'s own).
 */
public final class BrowserCheck implements AutoCloseable {

    /** File names may not hold '/', so no closing tag; the rest is markup enough. */
    static final String HTML_NAME = "<img src=x onerror=\"document.title='XSS'\"><b>not bold";
    static final String MAGNET_NAME = "<script>document.title='XSS'</script>magnet & more";
    private static final Duration SHORT = Duration.ofSeconds(10);

    private final Path jar;
    private final Path chromiumBinary;
    private final Path work;
    private final Path out;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();  // errors the page logged
    private final List<String> rpcBodies = new CopyOnWriteArrayList<>(); // what the page posted to the RPC
    private final List<Map<String, String>> documentHeaders = new CopyOnWriteArrayList<>();
    private final List<String> consoleLines = new CopyOnWriteArrayList<>();
    private volatile int authChallenges;
    private HeadlessChromium browser;
    private String password;
    private int rpcPort;

    BrowserCheck(Path jar, Path chromiumBinary, Path work, Path out) {
        this.jar = jar;
        this.chromiumBinary = chromiumBinary;
        this.work = work;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        if (!a.keySet().containsAll(List.of("--jar", "--work", "--out"))) {
            System.out.println("FAIL usage: BrowserCheck --jar PYTO.jar --work DIR --out DIR [--chromium PATH]");
            System.exit(2);
        }
        long start = System.nanoTime();
        int status;
        try (BrowserCheck check = new BrowserCheck(Path.of(a.get("--jar")),
                Path.of(a.getOrDefault("--chromium", "/usr/bin/chromium")), Path.of(a.get("--work")),
                Path.of(a.get("--out")))) {
            try {
                check.run();
                System.out.printf(Locale.ROOT, "PASS added (file picker and magnet), 100%%, stopped, started, removed with"
                        + " its data, names shown as text, CSP in force; screenshots in %s (%.0f s)%n",
                        check.out, (System.nanoTime() - start) / 1e9);
                status = 0;
            } catch (Exception e) {
                check.failureScreenshot();
                System.out.println("FAIL " + e.getMessage().lines().findFirst().orElse("") + " (see " + check.work + ")");
                String rest = e.getMessage().lines().skip(1).reduce("", (x, y) -> x + "\n" + y);
                if (!rest.isBlank()) {
                    System.err.println(rest.strip());
                }
                status = 1;
            }
        }
        System.exit(status);
    }

    private static void step(String what) {
        System.out.println("  ok  " + what);
    }

    void run() throws Exception {
        Files.createDirectories(work);
        Files.createDirectories(out);
        int[] ports = freePorts(4);
        int trackerPort = ports[0];
        rpcPort = ports[3];
        String announce = "http://127.0.0.1:" + trackerPort + "/announce";

        // A payload of random data (the last piece short) with a torrent, and a torrent whose name is markup.
        Path src = work.resolve("src");
        Random random = new Random(12);
        writeRandom(src.resolve("payload/alpha.bin"), 1_700_000 + 333, random);
        writeRandom(src.resolve("payload/docs/beta.bin"), 1_300_000, random);
        writeRandom(src.resolve(HTML_NAME), 200_000, random);
        Path payloadTorrent = work.resolve("payload.torrent");
        Path htmlTorrent = work.resolve("html.torrent");
        pyto("create", "create", src.resolve("payload").toString(), "-t", announce, "--piece-length", "32k", "-o",
                payloadTorrent.toString());
        pyto("create-html", "create", src.resolve(HTML_NAME).toString(), "-t", announce, "-o", htmlTorrent.toString());
        Metainfo payload = MetainfoParser.read(payloadTorrent);
        String hash = payload.infoHash().hex();
        String magnet = "magnet:?xt=urn:btih:" + HexFormat.of().formatHex(randomBytes(random, 20)) + "&dn="
                + URLEncoder.encode(MAGNET_NAME, StandardCharsets.UTF_8);
        step("payload " + payload.totalLength() + " bytes in " + payload.pieceCount() + " pieces, hash " + hash);

        spawn("tracker", "tracker", "--port", Integer.toString(trackerPort), "--udp-port", "off", "--interval", "10");
        awaitPort(trackerPort, "the tracker");
        spawn("seeder", "seed", payloadTorrent.toString(), "-d", src.toString(), "-p", Integer.toString(ports[1]));
        HeadlessChromium.awaitCondition("the tracker to list the seeder", () -> seeders(trackerPort, payload) > 0,
                Duration.ofSeconds(30));
        Path dl = work.resolve("dl");
        String[] daemonArgs = {"daemon", "--state", work.resolve("state").toString(), "-d", dl.toString(),
            "-p", Integer.toString(ports[2]), "--rpc-port", Integer.toString(rpcPort)};
        spawn("daemon", daemonArgs);
        awaitPort(rpcPort, "the daemon's remote control");
        password = Files.readString(work.resolve("state/rpc-password")).strip();
        step("tracker, seeder and daemon running; the daemon's password from state/rpc-password");

        browser = HeadlessChromium.start(chromiumBinary, work);
        listen();
        browser.viewport(1280, 800, 1, false);
        String page = "http://127.0.0.1:" + rpcPort + "/";
        browser.navigate(page);
        browser.await("the page to load and reach the daemon", "document.body && document.body.dataset.ready === 'true'",
                Duration.ofSeconds(20));
        if (authChallenges == 0) {
            throw new IOException("the browser was never asked for a password: the page is open to anyone");
        }
        expect("the empty list's hint", "!document.querySelector('#empty').hidden");
        step("page loaded after the browser's Basic-auth challenge (" + authChallenges + ")");

        // A speed limit first, so that the download takes long enough to be watched.
        setLimits(150, 0);
        expect("the status bar to show the limit", "document.querySelector('#limit-down').textContent.includes('150')");
        Json.Obj s = rpc().call("session-get", Json.object().build());
        if (!(s.get("speed-limit-down-enabled").orElse(Json.NULL) instanceof Json.Bool on && on.value())
                || !(s.get("speed-limit-down").orElse(Json.NULL) instanceof Json.Num n && n.value().intValue() == 150)) {
            throw new IOException("the limits dialog did not set the daemon's download limit: " + JsonWriter.write(s));
        }
        step("limits dialog: download limit 150 kB/s set (session-get agrees)");

        // Add: two .torrent files through the file picker, and a magnet link typed into the dialog.
        browser.clickOn("#btn-add");
        browser.await("the add dialog", "document.querySelector('#dlg-add').open", SHORT);
        browser.setFiles("#add-files", List.of(payloadTorrent, htmlTorrent));
        browser.clickOn("#add-magnets");
        browser.type(magnet);
        browser.await("the chosen files named", "document.querySelector('#add-file-names').textContent"
                + " === 'payload.torrent, html.torrent'", SHORT);
        browser.screenshot(out.resolve("daemon-page-add.png"));
        browser.clickOn("#add-ok");
        browser.await("three rows in the list", "document.querySelectorAll('#rows .row').length === 3", SHORT);
        step("added payload.torrent and html.torrent with the file picker, and a magnet link");

        // The names with markup in them are text.
        for (String name : List.of(HTML_NAME, MAGNET_NAME)) {
            browser.await("a row named " + name, row(name) + " !== undefined", SHORT);
        }
        expect("no element made of a name", "document.querySelectorAll('#rows img, #rows script, #rows b').length === 0");
        expect("the title untouched", "document.title === 'pyto'");
        step("names with HTML in them shown as text, nothing of them run or rendered");

        // Watch the download in the list, with the pieces tab open on it.
        browser.click(row("payload"));
        browser.clickOn("[data-tab=peers]");
        browser.await("the seeder in the peers tab", "document.querySelectorAll('#d-peers tr').length === 1", SHORT);
        browser.screenshot(out.resolve("daemon-page-peers.png"));
        browser.clickOn("[data-tab=pieces]");
        browser.await("the payload to be part done", cell("payload", ".pct") + "?.match(/^[2-9][0-9]\\./) != null",
                Duration.ofSeconds(40));
        browser.await("the piece map", "!document.querySelector('#d-map').hidden", SHORT);
        browser.screenshot(out.resolve("daemon-page-downloading.png"));
        step("downloading at " + browser.evalString(cell("payload", ".pct")) + ", screenshot daemon-page-downloading.png");

        setLimits(0, 0);
        browser.await("the payload to reach 100%", cell("payload", ".pct") + " === '100%' && " + cell("payload", ".st")
                + " === 'Seeding'", Duration.ofSeconds(60));
        for (String f : List.of("alpha.bin", "docs/beta.bin")) {
            if (Files.mismatch(src.resolve("payload").resolve(f), dl.resolve("payload").resolve(f)) != -1) {
                throw new IOException("downloaded " + f + " differs from the seeder's");
            }
        }
        step("limit lifted; the list shows 100% and Seeding; the files are the seeder's, byte for byte");

        checkDetails(payload, hash);
        checkFilters();

        // Screenshots: the desktop with the details, then a phone.
        browser.click(row("payload"));
        browser.clickOn("[data-tab=general]");
        browser.await("the general tab", "document.querySelector('[data-fact=hash] dd').textContent === " + js(hash), SHORT);
        browser.screenshot(out.resolve("daemon-page.png"));
        browser.viewport(390, 844, 2, true);
        browser.eval("window.scrollTo(0, 0)");
        browser.screenshot(out.resolve("daemon-page-phone.png"));
        browser.eval("document.querySelector('#details').scrollIntoView()");
        browser.screenshot(out.resolve("daemon-page-phone-details.png"));
        browser.viewport(1280, 800, 1, false);
        step("screenshots daemon-page.png (1280x800), daemon-page-phone.png and daemon-page-phone-details.png (390x844)");

        // Stop, start.
        browser.click(row("payload"));
        browser.clickOn("#btn-stop");
        browser.await("the payload to stop", cell("payload", ".st") + " === 'Finished'", SHORT);
        browser.clickOn("#btn-start");
        browser.await("the payload to seed again", cell("payload", ".st") + " === 'Seeding'", SHORT);
        step("stopped (Finished) and started (Seeding) from the toolbar");

        // Remove: the magnet without its data, the payload with it.
        browser.click(row(MAGNET_NAME));
        removeSelected(false);
        browser.await("the magnet's row to go", row(MAGNET_NAME) + " === undefined", SHORT);
        browser.click(row("payload"));
        removeSelected(true);
        browser.await("the payload's row to go", row("payload") + " === undefined", SHORT);
        HeadlessChromium.awaitCondition("the payload's files to be deleted", () -> !Files.exists(dl.resolve("payload")),
                SHORT);
        if (!Files.exists(src.resolve("payload/alpha.bin"))) {
            throw new IOException("the seeder's copy went too");
        }
        step("removed the magnet (data kept) and the payload with its data: " + dl.resolve("payload") + " is gone");

        checkPolling();
        checkNoErrors();

        // Errors in one line at the top: a duplicate dropped on the page, a directory outside the roots.
        browser.dropFiles(List.of(htmlTorrent), 700, 400);
        browser.await("the error line to name the duplicate", "!document.querySelector('#error').hidden && document"
                + ".querySelector('#error-text').textContent.startsWith('already there: ' + " + js(HTML_NAME) + ")", SHORT);
        browser.clickOn("#error-close");
        browser.clickOn("#btn-add");
        browser.await("the add dialog", "document.querySelector('#dlg-add').open", SHORT);
        browser.clickOn("#add-magnets");
        browser.type("magnet:?xt=urn:btih:" + HexFormat.of().formatHex(randomBytes(random, 20)));
        browser.eval("document.querySelector('#add-dir').select()");
        browser.type("/");
        browser.clickOn("#add-ok");
        browser.await("the error line to refuse the directory", "!document.querySelector('#error').hidden && document"
                + ".querySelector('#error-text').textContent.includes('outside the download roots')", SHORT);
        expect("no row added", "document.querySelectorAll('#rows .row').length === 1");
        browser.screenshot(out.resolve("daemon-page-error.png"));
        step("errors in one line: a dropped duplicate (\"already there\"), a directory outside the roots; no alert");

        // The daemon restarts: the page says it cannot reach it, then catches up with the new daemon by itself.
        Process daemon = processes.removeLast();
        daemon.destroy();
        if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
            throw new IOException("the daemon did not stop within 15 s of SIGTERM");
        }
        browser.await("the page to say the daemon is gone", "document.body.dataset.connection === 'down' && "
                + "document.querySelector('#error-text').textContent.includes('cannot reach')", SHORT);
        spawn("daemon-2", daemonArgs);
        awaitPort(rpcPort, "the restarted daemon");
        browser.await("the page to catch up with the restarted daemon", "document.body.dataset.connection === 'up' && "
                + "document.querySelector('#error').hidden && document.querySelectorAll('#rows .row').length === 1 && "
                + row(HTML_NAME) + " !== undefined", Duration.ofSeconds(20));
        step("daemon restarted: the page showed it unreachable, then the restarted daemon's list, by itself");
        if (problems.stream().anyMatch(p -> p.contains("dialog"))) {
            throw new IOException("the page opened a dialog box: " + problems);
        }

        checkSecurity(page);
    }

    // ---- the steps ----------------------------------------------------------------------------------

    private void setLimits(int downKBps, int upKBps) throws IOException, InterruptedException {
        browser.clickOn("#btn-limits");
        browser.await("the limits dialog", "document.querySelector('#dlg-limits').open", SHORT);
        for (String dir : List.of("down", "up")) {
            int value = dir.equals("down") ? downKBps : upKBps;
            boolean on = browser.evalBoolean("document.querySelector('#lim-" + dir + "-on').checked");
            if (on != (value > 0)) {
                browser.clickOn("#lim-" + dir + "-on");
            }
            if (value > 0) {
                browser.eval("document.querySelector('#lim-" + dir + "').select()");
                browser.type(Integer.toString(value));
            }
        }
        browser.clickOn("#limits-ok");
        browser.await("the limits dialog to close", "!document.querySelector('#dlg-limits').open", SHORT);
        browser.await("the limits to show", "document.querySelector('#limit-down').textContent "
                + (downKBps > 0 ? ".includes('" + downKBps + "')" : "=== ''"), SHORT);
    }

    private void checkDetails(Metainfo payload, String hash) throws IOException, InterruptedException {
        browser.click(row("payload"));
        browser.clickOn("[data-tab=general]");
        browser.await("the general tab's hash", "document.querySelector('[data-fact=hash] dd').textContent === " + js(hash), SHORT);
        browser.await("the general tab's magnet link", "document.querySelector('[data-fact=magnet] input').value"
                + ".startsWith('magnet:?xt=urn:btih:" + hash + "')", SHORT);
        expect("pieces x size", "document.querySelector('[data-fact=pieces] dd').textContent.startsWith('"
                + payload.pieceCount() + " ×')");
        browser.clickOn("[data-tab=files]");
        browser.await("two files at 100%", "document.querySelectorAll('#d-files tr').length === 2 && [...document"
                + ".querySelectorAll('#d-files tr')].every(r => r.lastElementChild.textContent.trim() === '100%')", SHORT);
        expect("the files' names", "[...document.querySelectorAll('#d-files tr')].map(r => r.firstElementChild.textContent)"
                + ".join(' ').includes('beta.bin')");
        browser.screenshot(out.resolve("daemon-page-files.png"));
        browser.clickOn("[data-tab=trackers]");
        browser.await("the tracker, working", "[...document.querySelectorAll('#d-trackers tr')].some(r => r.textContent"
                + ".includes('/announce') && r.textContent.includes('Working'))", SHORT);
        browser.screenshot(out.resolve("daemon-page-trackers.png"));
        browser.clickOn("[data-tab=peers]");
        browser.await("the peers tab", "!document.querySelector('[data-panel=peers]').hidden", SHORT);
        browser.clickOn("[data-tab=pieces]");
        browser.await("every piece drawn as had", "document.querySelector('#d-have').textContent.replace(/[^0-9]/g, '') === '"
                + payload.pieceCount() + "'", SHORT);
        long painted = browser.evalLong("(() => { const c = document.querySelector('#d-map');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()");
        if (painted < payload.pieceCount()) {
            throw new IOException("the piece map has " + painted + " painted pixels");
        }
        browser.click(row(HTML_NAME));
        browser.clickOn("[data-tab=general]");
        browser.await("the HTML-named torrent's details", "document.querySelector('#d-name').textContent === "
                + js(HTML_NAME), SHORT);
        expect("no element made of a name in the details", "document.querySelectorAll('#details img, #details b').length === 0");
        step("details: hash, magnet link, pieces, two files at 100%, the tracker working, the piece map drawn");
    }

    private void checkFilters() throws IOException, InterruptedException {
        browser.clickOn("[data-filter=metadata]");
        browser.await("only the magnet under 'Fetching metadata'", "document.querySelectorAll('#rows .row').length === 1 && "
                + row(MAGNET_NAME) + " !== undefined", SHORT);
        browser.clickOn("[data-filter=seeding]");
        browser.await("only the payload under 'Seeding'", "document.querySelectorAll('#rows .row').length === 1 && "
                + row("payload") + " !== undefined", SHORT);
        browser.clickOn("[data-filter=all]");
        browser.clickOn("#search");
        browser.type("payl");
        browser.await("the name filter", "document.querySelectorAll('#rows .row').length === 1", SHORT);
        browser.eval("(() => { const s = document.querySelector('#search'); s.value = '';"
                + " s.dispatchEvent(new Event('input')); })()");
        browser.await("all three again", "document.querySelectorAll('#rows .row').length === 3", SHORT);
        browser.clickOn("#list-head [data-sort=size]");
        expect("sorted by size, largest first", "document.querySelector('#rows .row .name').textContent === 'payload'");
        browser.clickOn("#list-head [data-sort=name]");
        step("filters (fetching metadata, seeding, all), the name filter, sorting by size");
    }

    private void removeSelected(boolean withData) throws IOException, InterruptedException {
        browser.clickOn("#btn-remove");
        browser.await("the remove dialog", "document.querySelector('#dlg-remove').open", SHORT);
        if (withData) {
            browser.clickOn("#remove-data");
            expect("the box ticked", "document.querySelector('#remove-data').checked");
            browser.screenshot(out.resolve("daemon-page-remove.png"));
        }
        browser.clickOn("#remove-ok");
    }

    /** The page's calls: a first full list, then "recently-active"; heavy fields only for one torrent. */
    private void checkPolling() throws IOException {
        Files.write(work.resolve("rpc-requests.txt"), rpcBodies);
        List<Json.Obj> gets = new ArrayList<>();
        for (String body : rpcBodies) {
            try {
                if (JsonReader.read(body) instanceof Json.Obj o && "torrent-get".equals(Cdp.string(o, "method"))) {
                    gets.add(o);
                }
            } catch (JsonException e) {
                throw new IOException("the page sent an RPC body that is not JSON: " + body);
            }
        }
        if (gets.isEmpty() || Cdp.at(gets.getFirst(), "arguments.ids") != null) {
            throw new IOException("the page's first torrent-get did not ask for every torrent");
        }
        long recent = gets.stream().filter(g -> Cdp.at(g, "arguments.ids") instanceof Json.Str str
                && str.value().equals("recently-active")).count();
        if (recent < 5) {
            throw new IOException("only " + recent + " torrent-get calls with ids \"recently-active\" among " + gets.size());
        }
        for (Json.Obj g : gets) {
            String fields = JsonWriter.write(Cdp.at(g, "arguments.fields"));
            boolean heavy = fields.matches(".*\"(files|fileStats|peers|pieces|trackerStats)\".*");
            if (heavy && !(Cdp.at(g, "arguments.ids") instanceof Json.Arr ids && ids.items().size() == 1)) {
                throw new IOException("heavy fields asked for more than the selected torrent: " + JsonWriter.write(g));
            }
        }
        step(gets.size() + " torrent-get calls: the first for all, " + recent
                + " \"recently-active\", files/peers/pieces only for the selected torrent");
    }

    private void checkNoErrors() throws IOException {
        if (!problems.isEmpty()) {
            throw new IOException("the page logged errors: " + String.join(" | ", problems));
        }
        step("no script error, no CSP violation, nothing failed to load");
    }

    /** What the security headers do in a browser: no inline script or style attribute, no framing. */
    private void checkSecurity(String page) throws IOException, InterruptedException {
        Map<String, String> h = documentHeaders.isEmpty() ? Map.of() : documentHeaders.getFirst();
        String csp = h.getOrDefault("content-security-policy", "");
        if (!csp.contains("default-src 'self'") || !csp.contains("frame-ancestors 'none'")
                || !"nosniff".equals(h.get("x-content-type-options")) || !"no-referrer".equals(h.get("referrer-policy"))) {
            throw new IOException("the page's security headers are not all there: " + h);
        }
        String blocked = browser.evalString("new Promise(done => {"
                + " document.addEventListener('securitypolicyviolation', e => done(e.effectiveDirective), {once: true});"
                + " window.__inline = false; const s = document.createElement('script'); s.textContent = 'window.__inline = true';"
                + " document.head.append(s); setTimeout(() => done(window.__inline ? 'ran' : 'no event'), 2000); })");
        if (blocked == null || !blocked.startsWith("script-src")) {
            throw new IOException("an inline script was not refused by the CSP: " + blocked);
        }
        boolean styleBlocked = browser.evalBoolean("(() => { const d = document.createElement('div');"
                + " d.setAttribute('style', 'color: rgb(1, 2, 3)'); document.body.append(d);"
                + " const refused = getComputedStyle(d).color !== 'rgb(1, 2, 3)'; d.remove(); return refused; })()");
        if (!styleBlocked) {
            throw new IOException("a style attribute was not refused by the CSP");
        }
        // frame-ancestors 'none' refuses even the page's own origin: a frame of the page inside itself stays empty.
        consoleLines.clear();
        browser.eval("new Promise(done => { const f = document.createElement('iframe'); f.id = 'framed';"
                + " f.addEventListener('load', () => done(true)); f.src = '/'; document.body.append(f);"
                + " setTimeout(() => done(false), 5000); })");
        HeadlessChromium.awaitCondition("the browser to refuse framing the page",
                () -> consoleLines.stream().anyMatch(l -> l.contains("frame-ancestors") || l.contains("X-Frame-Options")),
                SHORT);
        if (browser.evalBoolean("(() => { try { return !!document.querySelector('#framed').contentDocument"
                + ".querySelector('#rows'); } catch (e) { return false; } })()")) {
            throw new IOException("the page was shown inside a frame");
        }
        step("headers: " + csp + "; nosniff; no-referrer. In the browser: inline script refused (" + blocked
                + "), style attribute refused, framing refused");
    }

    // ---- the browser's events -----------------------------------------------------------------------

    private void listen() throws IOException, InterruptedException {
        Cdp cdp = browser.cdp();
        String origin = "http://127.0.0.1:" + rpcPort;
        cdp.on("Fetch.requestPaused", p -> cdp.post("Fetch.continueRequest", Cdp.params("requestId", p.get("requestId").orElseThrow())));
        cdp.on("Fetch.authRequired", p -> {
            authChallenges++;
            cdp.post("Fetch.continueWithAuth", Cdp.params("requestId", p.get("requestId").orElseThrow(),
                    "authChallengeResponse", Cdp.params("response", "ProvideCredentials", "username", RpcPassword.USER,
                            "password", password)));
        });
        cdp.on("Page.javascriptDialogOpening", p -> {
            problems.add("a " + Cdp.string(p, "type") + " dialog: " + Cdp.string(p, "message"));
            cdp.post("Page.handleJavaScriptDialog", Cdp.params("accept", false));
        });
        cdp.on("Runtime.exceptionThrown", p -> problems.add("exception: " + Optional.ofNullable(
                Cdp.string(p, "exceptionDetails.exception.description")).orElse(Cdp.string(p, "exceptionDetails.text"))));
        cdp.on("Runtime.consoleAPICalled", p -> {
            if ("error".equals(Cdp.string(p, "type"))) {
                problems.add("console.error: " + JsonWriter.write(p.get("args").orElse(Json.NULL)));
            }
        });
        cdp.on("Log.entryAdded", p -> {
            String text = Cdp.string(p, "entry.text");
            String source = Cdp.string(p, "entry.source");
            consoleLines.add(text);
            // The 401 of the sign-in and the 409 of the session-id exchange are the protocol, not failures.
            boolean expected = "network".equals(source) && text != null && text.matches(".*\\b(401|409)\\b.*");
            if ("error".equals(Cdp.string(p, "entry.level")) && !expected) {
                problems.add(source + ": " + text + " " + Optional.ofNullable(Cdp.string(p, "entry.url")).orElse(""));
            }
        });
        cdp.on("Network.requestWillBeSent", p -> {
            String url = Cdp.string(p, "request.url");
            String body = Cdp.string(p, "request.postData");
            if (url != null && url.endsWith(RequestGuard.RPC_PATH) && body != null) {
                rpcBodies.add(body);
            }
        });
        cdp.on("Network.responseReceived", p -> {
            if ("Document".equals(Cdp.string(p, "type")) && Cdp.at(p, "response.headers") instanceof Json.Obj headers
                    && Cdp.string(p, "response.url") != null && Cdp.string(p, "response.url").startsWith(origin)) {
                Map<String, String> lower = new java.util.HashMap<>();
                headers.members().forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT),
                        v instanceof Json.Str s ? s.value() : JsonWriter.write(v)));
                documentHeaders.add(lower);
            }
        });
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            cdp.call(domain + ".enable");
        }
        // Only the daemon's requests are held, to answer its Basic-auth challenge as a user at the prompt would.
        cdp.call("Fetch.enable", Cdp.params("handleAuthRequests", true,
                "patterns", Json.array(List.of(Cdp.params("urlPattern", origin + "/*")))));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** JavaScript: the list row whose name is {@code name}, or undefined. */
    static String row(String name) {
        return "[...document.querySelectorAll('#rows .row')].find(r => r.querySelector('.name').textContent === "
                + js(name) + ")";
    }

    /** JavaScript: the text of a part of that row ('.pct', '.st'), or undefined. */
    static String cell(String name, String part) {
        return "(" + row(name) + ")?.querySelector(" + js(part) + ")?.textContent";
    }

    private void expect(String what, String condition) throws IOException, InterruptedException {
        if (!browser.evalBoolean(condition)) {
            throw new IOException("expected " + what + "; the page shows: " + pageText());
        }
    }

    private String pageText() {
        try {
            String text = browser.evalString("document.body.innerText");
            return text == null ? "" : text.replaceAll("\\s+", " ").substring(0, Math.min(600, text.replaceAll("\\s+", " ").length()));
        } catch (IOException | InterruptedException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private RpcClient rpc() {
        return new RpcClient(URI.create("http://127.0.0.1:" + rpcPort + RequestGuard.RPC_PATH),
                Optional.of(RpcPassword.USER + ":" + password), Duration.ofSeconds(10));
    }

    private void failureScreenshot() {
        if (browser != null) {
            try {
                browser.screenshot(out.resolve("failure.png"));
                System.err.println("page: " + pageText());
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the browser is gone: nothing to show
            }
        }
    }

    /** Runs {@code pyto ARGS} to its end (30 s at most); its output in WORK/NAME.log. */
    private void pyto(String name, String... args) throws IOException, InterruptedException {
        Process p = start(name, args);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("pyto " + args[0] + " failed: " + Files.readString(work.resolve(name + ".log")).strip());
        }
    }

    /** Starts {@code pyto ARGS} in the background, until the check ends. */
    private void spawn(String name, String... args) throws IOException {
        processes.add(start(name, args));
    }

    private Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().put("PYTO_PLAIN", "1");
        return b.start();
    }

    private void awaitPort(int port, String what) throws IOException, InterruptedException {
        HeadlessChromium.awaitCondition(what + " on port " + port, () -> {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new java.io.UncheckedIOException(new IOException(what + ": a process ended early; see " + work));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(20));
    }

    /** What the tracker's scrape (BEP 48) says of the torrent's seeders; 0 when it cannot tell. */
    private static int seeders(int trackerPort, Metainfo m) {
        StringBuilder q = new StringBuilder();
        for (byte b : m.infoHash().bytes()) {
            q.append('%').append(String.format("%02X", b & 0xff));
        }
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + trackerPort + "/scrape?info_hash=" + q))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofByteArray());
            BDict files = BencodeDecoder.decodeDict(r.body()).dict("files").orElse(null);
            if (files == null) {
                return 0;
            }
            for (BValue v : files.entries().values()) {
                if (v instanceof BDict d) {
                    return d.integer("complete").orElse(0L).intValue();
                }
            }
            return 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static void writeRandom(Path file, int size, Random random) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, randomBytes(random, size));
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Ends the browser, then the daemon (SIGTERM: it saves and says goodbye), the seeder and the tracker. */
    @Override
    public void close() {
        if (browser != null) {
            browser.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
