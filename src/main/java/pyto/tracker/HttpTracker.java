package pyto.tracker;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import pyto.bencode.BDict;
import pyto.bencode.BencodeDecoder;
import pyto.bencode.BencodeException;
import pyto.metainfo.InfoHash;
import pyto.metainfo.UrlBytes;

/**
 * An HTTP or HTTPS tracker (BEP 3): an announce is a GET with the request in the query string,
 * the answer a bencoded dictionary. Scrapes follow BEP 48's convention, the announce URL with
 * its last "announce" turned into "scrape".
 *
 * <p>Runs on the calling thread (the announcer's). It remembers one thing between calls, the
 * {@code tracker id} a tracker may hand out to be sent back, so an instance serves one torrent.
 */
final class HttpTracker implements Tracker {

    private static final System.Logger LOG = System.getLogger(HttpTracker.class.getName());

    private final String url;
    private final HttpGet http;
    private final Duration budget;
    /** BEP 3: "a string that the client should send back on its next announcements". */
    private volatile String trackerId;

    /** {@code announce} must be an absolute http or https URI; see {@link Trackers#forUrl}. */
    HttpTracker(URI announce, Trackers.Config config) {
        String text = announce.toString();
        int hash = text.indexOf('#');
        this.url = hash < 0 ? text : text.substring(0, hash); // a fragment is never sent
        this.http = new HttpGet(config.connectTimeout(), config.readTimeout(), config.maxReplyBytes());
        this.budget = config.connectTimeout().plus(config.readTimeout());
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws IOException {
        return announce(request, budget);
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request, Duration budget) throws IOException {
        byte[] body = fetch(announceUrl(request), budget);
        AnnounceResponse response = HttpReplyParser.announce(body);
        response.trackerId().ifPresent(id -> trackerId = id);
        response.warning().ifPresent(w -> LOG.log(System.Logger.Level.INFO, url + " warns: " + w));
        return response;
    }

    @Override
    public ScrapeResponse scrape(InfoHash infoHash) throws IOException {
        String base = scrapeUrl(url)
                .orElseThrow(() -> new IOException("tracker " + url + " does not support scrape"
                        + " (BEP 48: its path does not end in \"announce\")"));
        return HttpReplyParser.scrape(fetch(base + separator(base) + "info_hash=" + infoHash.urlEncoded(), budget), infoHash);
    }

    /** The announce URL with the request's query parameters appended (BEP 3, BEP 23). */
    String announceUrl(AnnounceRequest request) {
        StringBuilder query = new StringBuilder(url).append(separator(url))
                .append("info_hash=").append(request.infoHash().urlEncoded())
                .append("&peer_id=").append(UrlBytes.encode(request.peerId()))
                .append("&port=").append(request.port())
                .append("&uploaded=").append(request.uploaded())
                .append("&downloaded=").append(request.downloaded())
                .append("&left=").append(request.left())
                .append("&compact=1");
        if (request.numWant() >= 0) {
            query.append("&numwant=").append(request.numWant());
        }
        query.append("&key=").append(HexFormat.of().toHexDigits(request.key()));
        if (request.event() != AnnounceRequest.Event.NONE) {
            query.append("&event=").append(request.event().wireName());
        }
        String id = trackerId;
        if (id != null) {
            query.append("&trackerid=").append(UrlBytes.encode(id.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return query.toString();
    }

    /**
     * BEP 48: the scrape URL is the announce URL with "announce", at the start of the path's
     * last segment, replaced by "scrape" ({@code /x/announce.php?k=1} becomes
     * {@code /x/scrape.php?k=1}); without it the tracker does not support scrape.
     */
    static Optional<String> scrapeUrl(String announceUrl) {
        int query = announceUrl.indexOf('?');
        String path = query < 0 ? announceUrl : announceUrl.substring(0, query);
        int authority = path.indexOf("://");
        int pathStart = path.indexOf('/', authority < 0 ? 0 : authority + 3);
        int slash = path.lastIndexOf('/');
        if (pathStart < 0 || !path.startsWith("announce", slash + 1)) {
            return Optional.empty();
        }
        return Optional.of(announceUrl.substring(0, slash + 1) + "scrape" + announceUrl.substring(slash + 1 + "announce".length()));
    }

    /** '?' to start a query, '&' to extend one the tracker put in its URL (a passkey, say). */
    private static String separator(String url) {
        if (url.indexOf('?') < 0) {
            return "?";
        }
        return url.endsWith("?") || url.endsWith("&") ? "" : "&";
    }

    private byte[] fetch(String target, Duration budget) throws IOException {
        HttpGet.Reply reply = http.get(URI.create(target), Instant.now().plus(budget));
        if (reply.status() != 200) {
            throw new TrackerException("tracker answered " + reply.statusLine() + failureIn(reply.body()));
        }
        return reply.body();
    }

    /** Some trackers send their failure reason with an error status; keep it when they do. */
    private static String failureIn(byte[] body) {
        try {
            BDict reply = BencodeDecoder.decodeDict(body);
            return reply.string("failure reason").map(r -> ": " + r.text()).orElse("");
        } catch (BencodeException e) {
            return "";
        }
    }
}
