package pyto.metainfo;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pyto.bencode.BInteger;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.bencode.BencodeEncoder;

/**
 * Writes a {@link Metainfo} as a .torrent file (BEP 3): what a client saves once a magnet link's
 * metadata has arrived. Runs on the caller's thread.
 *
 * <p>The info dictionary is written as its raw bytes, never re-encoded: a torrent whose info
 * keys are out of order keeps the hash it had. Everything around it is written canonically,
 * keys sorted: {@code announce} (the first tracker), {@code announce-list} (BEP 12, only when
 * there is more than one URL), {@code comment}, {@code created by}, {@code creation date},
 * {@code info}, {@code url-list} (BEP 19) when there are web seeds.
 */
final class TorrentFileWriter {

    private TorrentFileWriter() {
    }

    static byte[] write(Metainfo torrent) {
        // Keys sorted as raw byte strings (BEP 3); each value already encoded, so that the
        // info dictionary can go in as the bytes it was read from.
        Map<BString, byte[]> entries = new TreeMap<>();
        List<String> trackers = torrent.trackerTiers().stream().flatMap(List::stream).toList();
        if (!trackers.isEmpty()) {
            put(entries, "announce", BString.of(trackers.getFirst()));
        }
        if (trackers.size() > 1) {
            put(entries, "announce-list", new BList(torrent.trackerTiers().stream()
                    .<BValue>map(tier -> strings(tier)).toList()));
        }
        torrent.comment().ifPresent(c -> put(entries, "comment", BString.of(c)));
        torrent.createdBy().ifPresent(c -> put(entries, "created by", BString.of(c)));
        torrent.creationDate().ifPresent(d -> put(entries, "creation date", new BInteger(d.getEpochSecond())));
        entries.put(BString.of("info"), torrent.infoBytes());
        if (!torrent.webSeeds().isEmpty()) {
            put(entries, "url-list", strings(torrent.webSeeds()));
        }
        if (!torrent.dhtNodes().isEmpty()) { // BEP 5: [[host, port], ...]
            put(entries, "nodes", new BList(torrent.dhtNodes().stream().<BValue>map(n ->
                    BList.of(BString.of(n.getHostString()), new BInteger(n.getPort()))).toList()));
        }

        // dictionary: d<key><value>...e
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('d');
        entries.forEach((key, value) -> {
            out.writeBytes(BencodeEncoder.encode(key));
            out.writeBytes(value);
        });
        out.write('e');
        return out.toByteArray();
    }

    private static void put(Map<BString, byte[]> entries, String key, BValue value) {
        entries.put(BString.of(key), BencodeEncoder.encode(value));
    }

    private static BList strings(List<String> texts) {
        return new BList(texts.stream().<BValue>map(BString::of).toList());
    }
}
