package pyto.metainfo;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a .torrent file says (BEP 3), with the announce-list of BEP 12, the private flag of
 * BEP 27, the web seeds of BEP 19 and the pad files of BEP 47.
 *
 * <p>Made by {@link MetainfoParser}, which checks everything first: once a {@code Metainfo}
 * exists, its paths are safe to create below a download directory and its numbers agree
 * (piece count matches the hashes, files add up to {@code totalLength}).
 *
 * @param name          the suggested name: the file name (single-file) or the top directory
 * @param pieceLength   bytes per piece; the last piece may be shorter
 * @param pieces        the SHA-1 of every piece
 * @param files         every file in order, pad files included, with safe paths relative to the
 *                      download directory: a single-file torrent has one entry whose path is
 *                      {@code [name]}; in a multi-file torrent every path starts with {@code name}
 *                      (a pad file's path is a made-up {@code [name, ".pad", length]})
 * @param multiFile     whether the info dictionary has a {@code files} list (files live below
 *                      a directory called {@code name})
 * @param totalLength   the sum of all file lengths, pad files included
 * @param infoHash      SHA-1 of the info dictionary's raw bytes
 * @param infoBytes     the info dictionary's raw bytes (served to peers over BEP 9 later)
 * @param trackerTiers  BEP 12 tiers of tracker URLs; just {@code [[announce]]} without an announce-list
 * @param isPrivate     BEP 27: use only the torrent's trackers, no DHT or peer exchange
 * @param webSeeds      BEP 19 url-list, kept for later
 * @param dhtNodes      BEP 5 {@code nodes}: DHT nodes to start from, host names left unresolved
 */
public record Metainfo(
        String name,
        long pieceLength,
        PieceHashes pieces,
        List<FileEntry> files,
        boolean multiFile,
        long totalLength,
        InfoHash infoHash,
        byte[] infoBytes,
        List<List<String>> trackerTiers,
        boolean isPrivate,
        Optional<String> comment,
        Optional<String> createdBy,
        Optional<Instant> creationDate,
        List<String> webSeeds,
        List<InetSocketAddress> dhtNodes) {

    public Metainfo {
        files = List.copyOf(files);
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
        dhtNodes = List.copyOf(dhtNodes);
        infoBytes = infoBytes.clone();
    }

    @Override
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    public int pieceCount() {
        return pieces.count();
    }

    /** The length of piece {@code index}: {@code pieceLength}, except for a shorter last piece. */
    public long pieceSize(int index) {
        return Math.min(pieceLength, totalLength - index * pieceLength);
    }

    /** The files a user sees: every file but the pad files. */
    public List<FileEntry> visibleFiles() {
        return files.stream().filter(f -> !f.padding()).toList();
    }

    /** Every tracker URL, tier by tier, without duplicates. */
    public List<String> trackers() {
        return trackerTiers.stream().flatMap(List::stream).distinct().toList();
    }

    /**
     * The bytes of a .torrent file for this torrent (BEP 3), with the info dictionary exactly as
     * it was read, so that reading them back gives the same info hash. See {@link TorrentFileWriter}.
     */
    public byte[] toTorrentFile() {
        return TorrentFileWriter.write(this);
    }
}
