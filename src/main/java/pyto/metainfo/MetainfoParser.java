package pyto.metainfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.bencode.BencodeDecoder;
import pyto.bencode.BencodeException;

/**
 * Reads a .torrent file (BEP 3) into a checked {@link Metainfo}: the info dictionary through
 * {@link InfoDictParser}, trackers and web seeds through {@link TrackerUrls} (BEP 12, BEP 19),
 * and the informational keys. Runs on the caller's thread.
 *
 * <pre>{@code
 * Metainfo torrent = MetainfoParser.read(Path.of("debian.iso.torrent"));
 * System.out.println(torrent.name() + " " + torrent.infoHash());
 * }</pre>
 *
 * <p>Every refusal is a {@link MetainfoException} with one line saying what is wrong. The info
 * hash is the SHA-1 of the info dictionary's bytes exactly as they stand in the file: a torrent
 * with unsorted keys has a hash that re-encoding would not reproduce.
 */
public final class MetainfoParser {

    /** The largest torrent file read. Real ones are kilobytes; the biggest known are a few MiB. */
    public static final int MAX_TORRENT_FILE_BYTES = 64 * 1024 * 1024;

    /** DHT nodes kept from a torrent's {@code nodes}: a handful is plenty to start from. */
    static final int MAX_DHT_NODES = 50;

    /** 9999-12-31T23:59:59Z: a creation date beyond it is garbage, not a date. */
    private static final long LAST_SENSIBLE_SECOND = 253_402_300_799L;

    private MetainfoParser() {
    }

    /** Reads and checks the torrent file at {@code file}; messages start with the file's name. */
    public static Metainfo read(Path file) throws MetainfoException {
        byte[] bytes = readBounded(file);
        try {
            return parse(bytes);
        } catch (MetainfoException e) {
            throw new MetainfoException(file + ": " + e.getMessage(), e);
        }
    }

    /** Checks the contents of a torrent file and returns what it says. */
    public static Metainfo parse(byte[] torrentFile) throws MetainfoException {
        int end = withoutTrailingWhitespace(torrentFile);
        if (end == 0) {
            throw new MetainfoException("not a valid torrent file: it is empty");
        }
        BValue root;
        try {
            root = BencodeDecoder.decode(end == torrentFile.length ? torrentFile : Arrays.copyOf(torrentFile, end));
        } catch (BencodeException e) {
            throw new MetainfoException("not a valid torrent file: " + e.getMessage(), e);
        }
        if (!(root instanceof BDict torrent)) {
            throw new MetainfoException("not a valid torrent file: it holds a bencoded " + kind(root)
                    + ", not a dictionary");
        }
        BValue infoValue = torrent.get("info").orElseThrow(
                () -> new MetainfoException("not a valid torrent file: it has no 'info' dictionary"));
        if (!(infoValue instanceof BDict infoDict)) {
            throw new MetainfoException("not a valid torrent file: its 'info' is a " + kind(infoValue)
                    + ", not a dictionary");
        }
        return metainfo(InfoDictParser.parse(infoDict), torrent.rawBytes("info").orElseThrow(),
                TrackerUrls.tiers(torrent), TrackerUrls.webSeeds(torrent), dhtNodes(torrent),
                text(torrent, "comment"), text(torrent, "created by"), creationDate(torrent));
    }

    /**
     * Checks the raw bytes of an info dictionary, as received from peers for a magnet link
     * (BEP 9), exactly as the info dictionary of a .torrent file is checked. The bytes are kept
     * as given and hashed as given: the info hash is their SHA-1 (re-encoding could change it).
     * Nothing may follow the dictionary. Trackers and web seeds come from elsewhere (the magnet
     * link) and are cleaned as a torrent file's are.
     */
    public static Metainfo parseInfo(byte[] infoBytes, List<List<String>> trackerTiers, List<String> webSeeds)
            throws MetainfoException {
        if (infoBytes.length > MAX_TORRENT_FILE_BYTES) {
            throw new MetainfoException("the info dictionary is " + infoBytes.length
                    + " bytes, larger than any torrent file pyto reads (64 MiB)");
        }
        BValue root;
        try {
            root = BencodeDecoder.decode(infoBytes);
        } catch (BencodeException e) {
            throw new MetainfoException("not a valid info dictionary: " + e.getMessage(), e);
        }
        if (!(root instanceof BDict infoDict)) {
            throw new MetainfoException("not a valid info dictionary: it holds a bencoded " + kind(root)
                    + ", not a dictionary");
        }
        return metainfo(InfoDictParser.parse(infoDict), infoBytes, TrackerUrls.cleanTiers(trackerTiers),
                TrackerUrls.cleanStrings(webSeeds), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Metainfo metainfo(InfoDictParser.Info info, byte[] infoBytes, List<List<String>> tiers,
                                     List<String> webSeeds, List<InetSocketAddress> dhtNodes, Optional<String> comment,
                                     Optional<String> createdBy, Optional<Instant> creationDate) {
        return new Metainfo(
                info.name(),
                info.pieceLength(),
                info.pieces(),
                info.files(),
                info.multiFile(),
                info.totalLength(),
                new InfoHash(Sha1.of(infoBytes)),
                infoBytes,
                tiers,
                info.isPrivate(),
                comment,
                createdBy,
                creationDate,
                webSeeds,
                dhtNodes);
    }

    /**
     * BEP 5's {@code nodes}: DHT nodes to start from, each a list of a host and a port. They are
     * for people and the DHT, not for the torrent's identity, so one that makes no sense is
     * left out rather than refusing the torrent; names are not looked up here.
     */
    private static List<InetSocketAddress> dhtNodes(BDict torrent) {
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (BValue node : torrent.list("nodes").map(BList::values).orElse(List.of())) {
            if (nodes.size() < MAX_DHT_NODES && node instanceof BList(List<BValue> pair) && pair.size() == 2
                    && pair.get(0) instanceof BString host && pair.get(1) instanceof BInteger(long port)
                    && port > 0 && port <= 0xffff && !host.text().isBlank()) {
                nodes.add(InetSocketAddress.createUnresolved(host.text(), (int) port));
            }
        }
        return nodes;
    }

    /**
     * Where the torrent ends once trailing whitespace is cut off. A newline after the final 'e'
     * is what a text editor leaves (libtorrent's large_piece_size.torrent has one, and libtorrent
     * loads it); it is outside the info dictionary, so the hash is the same. Any other trailing
     * byte is still refused by the decoder.
     */
    private static int withoutTrailingWhitespace(byte[] torrentFile) {
        int end = torrentFile.length;
        while (end > 0 && (torrentFile[end - 1] == '\n' || torrentFile[end - 1] == '\r'
                || torrentFile[end - 1] == ' ' || torrentFile[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    private static byte[] readBounded(Path file) throws MetainfoException {
        try {
            if (Files.isDirectory(file)) {
                throw new MetainfoException("cannot read " + file + ": it is a directory, not a torrent file");
            }
            long size = Files.size(file);
            if (size > MAX_TORRENT_FILE_BYTES) {
                throw tooLarge(file, size);
            }
            try (InputStream in = Files.newInputStream(file)) {
                // Read at most one byte past the limit: the file may have grown since it was measured.
                byte[] bytes = in.readNBytes(MAX_TORRENT_FILE_BYTES + 1);
                if (bytes.length > MAX_TORRENT_FILE_BYTES) {
                    throw tooLarge(file, bytes.length);
                }
                return bytes;
            }
        } catch (MetainfoException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new MetainfoException("cannot read " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new MetainfoException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new MetainfoException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static MetainfoException tooLarge(Path file, long size) {
        return new MetainfoException("cannot read " + file + ": it is " + size
                + " bytes, larger than any torrent file pyto reads (64 MiB)");
    }

    // comment and created by are for people; a torrent that has them in another type just has none.
    private static Optional<String> text(BDict torrent, String key) {
        return torrent.string(key).map(BString::text);
    }

    /** Seconds since 1970 (BEP 3's convention); zero, negative and far-future values are ignored. */
    private static Optional<Instant> creationDate(BDict torrent) {
        return torrent.integer("creation date")
                .filter(seconds -> seconds > 0 && seconds <= LAST_SENSIBLE_SECOND)
                .map(Instant::ofEpochSecond);
    }

    private static String kind(BValue value) {
        return switch (value) {
            case BDict d -> "dictionary";
            case BList l -> "list";
            case BString s -> "string";
            case BInteger i -> "integer";
        };
    }
}
