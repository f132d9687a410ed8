package pyto.metainfo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A magnet link (BEP 9): a torrent named by its info hash alone, with hints for finding it.
 * The info dictionary itself comes later from peers (BEP 9's metadata exchange), and
 * {@link #toMetainfo} turns it into a {@link Metainfo} once its hash is checked.
 *
 * <pre>{@code
 * MagnetLink link = MagnetLink.parse("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=Example");
 * link.infoHash();   // c12fe1c0...
 * link.uri();        // the link again, every value percent-encoded
 * }</pre>
 *
 * <p>Parameters read: {@code xt} ({@code urn:btih:} with 40 hex digits or 32 base32 characters;
 * the first one counts), {@code dn}, {@code tr} and {@code ws} (repeated, in order),
 * {@code x.pe} (BEP 9 peers) and {@code so} (BEP 53 select-only). A name may carry a numeric
 * suffix ({@code tr.1}, {@code xt.2}), as libtorrent allows; other parameters are ignored.
 * Anything malformed is a {@link MetainfoException} with one line saying what. Runs on the
 * caller's thread and never touches the network.
 *
 * @param infoHash   the v1 info hash, the SHA-1 of the info dictionary
 * @param name       the display name ({@code dn}), a hint until the metadata says the real one
 * @param trackers   tracker URLs ({@code tr}), in order, each once
 * @param peers      peers to ask for the metadata ({@code x.pe}): IP literals resolved, host
 *                   names unresolved
 * @param webSeeds   BEP 19 web seeds ({@code ws})
 * @param selectOnly BEP 53 {@code so}: the indices of the files to download, sorted; empty for all
 */
public record MagnetLink(
        InfoHash infoHash,
        Optional<String> name,
        List<String> trackers,
        List<InetSocketAddress> peers,
        List<String> webSeeds,
        List<Integer> selectOnly) {

    /** The most files an {@code so} parameter may select. */
    public static final int MAX_SELECTED_FILES = 100_000;

    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";
    private static final String BTMH = "urn:btmh:";
    /** A numeric suffix on a parameter's name, as in tr.1: it has no meaning and is dropped. */
    private static final Pattern NUMBER_SUFFIX = Pattern.compile("\\.[0-9]+$");

    /** URLs are trimmed, blank ones dropped, each kept once; indices sorted and kept once. */
    public MagnetLink {
        Objects.requireNonNull(infoHash, "infoHash");
        name = name.filter(n -> !n.isEmpty());
        trackers = TrackerUrls.cleanStrings(trackers);
        peers = List.copyOf(new LinkedHashSet<>(peers));
        webSeeds = TrackerUrls.cleanStrings(webSeeds);
        TreeSet<Integer> indices = new TreeSet<>(selectOnly);
        if (!indices.isEmpty() && indices.first() < 0) {
            throw new IllegalArgumentException("a file index cannot be negative: " + indices.first());
        }
        selectOnly = List.copyOf(indices);
    }

    /** The link of a torrent: its hash, its name, every tracker tier by tier, its web seeds. */
    public static MagnetLink of(Metainfo torrent) {
        return new MagnetLink(torrent.infoHash(), Optional.of(torrent.name()), torrent.trackers(),
                List.of(), torrent.webSeeds(), List.of());
    }

    /** Reads a magnet link; surrounding whitespace (a pasted line) is ignored. */
    public static MagnetLink parse(String link) throws MetainfoException {
        String text = link.strip();
        if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new MetainfoException("not a magnet link: it must start with " + PREFIX);
        }
        InfoHash infoHash = null;
        String firstTopic = null;
        boolean v2 = false;
        Optional<String> name = Optional.empty();
        List<String> trackers = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        List<String> webSeeds = new ArrayList<>();
        List<MagnetValues.Range> selected = new ArrayList<>();
        int fragment = text.indexOf('#');
        String query = text.substring(PREFIX.length(), fragment < 0 ? text.length() : fragment);
        for (String parameter : query.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            String key = NUMBER_SUFFIX.matcher(eq < 0 ? parameter : parameter.substring(0, eq)).replaceFirst("");
            String raw = eq < 0 ? "" : parameter.substring(eq + 1);
            switch (key) {
                case "xt" -> {
                    String topic = MagnetValues.decode("xt", raw);
                    if (firstTopic == null) {
                        firstTopic = topic;
                    }
                    // A URN's namespace is case-insensitive (RFC 8141): URN:BTIH: is the same.
                    if (topic.regionMatches(true, 0, BTIH, 0, BTIH.length()) && infoHash == null) {
                        infoHash = MagnetValues.infoHash(topic.substring(BTIH.length()));
                    }
                    v2 |= topic.regionMatches(true, 0, BTMH, 0, BTMH.length());
                }
                case "dn" -> {
                    String dn = MagnetValues.decode("dn", raw);
                    name = name.isPresent() ? name : Optional.of(dn);
                }
                case "tr" -> trackers.add(MagnetValues.decode("tr", raw));
                case "ws" -> webSeeds.add(MagnetValues.decode("ws", raw));
                case "x.pe" -> peers.add(MagnetValues.peer(MagnetValues.decode("x.pe", raw)));
                case "so" -> selected.addAll(MagnetValues.ranges(MagnetValues.decode("so", raw)));
                default -> {
                    // BEP 9 and the magnet scheme define more (xl, as, kt, ...); pyto has no use for them.
                }
            }
        }
        if (infoHash == null) {
            throw missingInfoHash(firstTopic, v2);
        }
        return new MagnetLink(infoHash, name, trackers, peers, webSeeds,
                MagnetValues.expand(selected, MAX_SELECTED_FILES));
    }

    private static MetainfoException missingInfoHash(String firstTopic, boolean v2) {
        if (firstTopic == null) {
            return MagnetValues.bad("it has no xt=urn:btih:... parameter, so it names no torrent");
        }
        if (v2) {
            return MagnetValues.bad("it has only a v2 info hash (xt=urn:btmh:..., BEP 52); pyto is a v1 client"
                    + " and needs a v1 info hash (xt=urn:btih:...)");
        }
        String shown = firstTopic.length() > 40 ? firstTopic.substring(0, 40) + "..." : firstTopic;
        return MagnetValues.bad("xt=" + shown + " is not a BitTorrent info hash (xt=urn:btih:...)");
    }

    /**
     * The link as text: {@code magnet:?xt=urn:btih:HEX&dn=...&tr=...&ws=...&x.pe=...&so=...}.
     * dn, tr and ws are percent-encoded (only RFC 3986's unreserved characters stay as they are).
     * x.pe and so are written plainly: their characters (digits, letters, '.', ':', '[', ']', '-',
     * ',') need no escape, and libtorrent reads these two without decoding escapes.
     */
    public String uri() {
        StringBuilder out = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
        name.ifPresent(n -> out.append("&dn=").append(MagnetValues.encode(n)));
        trackers.forEach(t -> out.append("&tr=").append(MagnetValues.encode(t)));
        webSeeds.forEach(w -> out.append("&ws=").append(MagnetValues.encode(w)));
        peers.forEach(p -> out.append("&x.pe=").append(MagnetValues.peerText(p)));
        if (!selectOnly.isEmpty()) {
            out.append("&so=").append(MagnetValues.rangesText(selectOnly));
        }
        return out.toString();
    }

    /** The same as {@link #uri()}. */
    @Override
    public String toString() {
        return uri();
    }

    /** Each tracker in a tier of its own, in order: how libtorrent reads the tr of a magnet link. */
    public List<List<String>> trackerTiers() {
        return trackers.stream().map(List::of).toList();
    }

    /** {@code so} as written in a link, e.g. {@code 0,2,4-6}; empty when every file is wanted. */
    public String selectOnlyText() {
        return MagnetValues.rangesText(selectOnly);
    }

    /** A peer as x.pe writes it: {@code 1.2.3.4:6881}, {@code [2001:db8::1]:6881}, {@code host:6881}. */
    public static String peerText(InetSocketAddress peer) {
        return MagnetValues.peerText(peer);
    }

    /**
     * The torrent, once its info dictionary has arrived (BEP 9's metadata exchange): the bytes
     * must hash to this link's info hash, then they are checked as a .torrent's info dictionary.
     * Trackers and web seeds are this link's.
     */
    public Metainfo toMetainfo(byte[] infoBytes) throws MetainfoException {
        InfoHash received = new InfoHash(Sha1.of(infoBytes));
        if (!received.equals(infoHash)) {
            throw new MetainfoException("the metadata received hashes to " + received
                    + ", not to the magnet link's info hash " + infoHash);
        }
        return MetainfoParser.parseInfo(infoBytes, trackerTiers(), webSeeds);
    }
}
