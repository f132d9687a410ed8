package pyto.metainfo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import pyto.bencode.BDict;
import pyto.bencode.BList;
import pyto.bencode.BString;
import pyto.bencode.BValue;
import pyto.bencode.BencodeEncoder;
import pyto.metainfo.SourceFiles.SourceFile;

/**
 * Makes a .torrent file from a file or a directory (BEP 3), with BEP 12 tracker tiers, BEP 27's
 * private flag and BEP 19 web seeds. Runs on the caller's thread, which waits while
 * {@link PieceHasher} hashes on all cores.
 *
 * <pre>{@code
 * byte[] torrent = TorrentCreator.create(Path.of("photos"),
 *         TorrentCreator.Options.defaults().withTrackerTiers(List.of(List.of("http://tracker/announce"))),
 *         ProgressListener.NONE);
 * }</pre>
 *
 * <p>The result is canonical bencoding, and {@link MetainfoParser} reads it back before it is
 * returned: pyto never hands out a torrent that it would itself refuse.
 */
public final class TorrentCreator {

    public static final String CREATED_BY = "pyto 0.1";

    private TorrentCreator() {
    }

    /**
     * What to put in a new torrent besides its content.
     *
     * @param trackerTiers BEP 12 tiers; the first URL of the first tier is also the {@code announce}.
     *                     URLs are trimmed, blank ones and empty tiers dropped
     * @param pieceLength  a power of two from 16 KiB to 512 MiB, or empty to choose one
     *                     (about 1,000 to 2,000 pieces)
     * @param isPrivate    BEP 27: peers only from these trackers
     * @param comment      free text for people
     * @param webSeeds     BEP 19 url-list
     * @param createdBy    the program that made the torrent
     * @param creationDate when it was made; empty means now
     */
    public record Options(List<List<String>> trackerTiers, OptionalInt pieceLength, boolean isPrivate,
                          Optional<String> comment, List<String> webSeeds, String createdBy,
                          Optional<Instant> creationDate) {

        public Options {
            trackerTiers = trackerTiers.stream().map(Options::cleanUrls).filter(tier -> !tier.isEmpty()).toList();
            pieceLength.ifPresent(PieceLengthChooser::checkGiven);
            Objects.requireNonNull(comment);
            webSeeds = cleanUrls(webSeeds);
            Objects.requireNonNull(createdBy);
            Objects.requireNonNull(creationDate);
        }

        /** No trackers, automatic piece length, public, no comment, no web seeds, made by pyto now. */
        public static Options defaults() {
            return new Options(List.of(), OptionalInt.empty(), false, Optional.empty(), List.of(), CREATED_BY,
                    Optional.empty());
        }

        public Options withTrackerTiers(List<List<String>> tiers) {
            return new Options(tiers, pieceLength, isPrivate, comment, webSeeds, createdBy, creationDate);
        }

        public Options withPieceLength(int length) {
            return new Options(trackerTiers, OptionalInt.of(length), isPrivate, comment, webSeeds, createdBy, creationDate);
        }

        public Options withPrivate(boolean flag) {
            return new Options(trackerTiers, pieceLength, flag, comment, webSeeds, createdBy, creationDate);
        }

        public Options withComment(String text) {
            return new Options(trackerTiers, pieceLength, isPrivate, Optional.of(text), webSeeds, createdBy, creationDate);
        }

        public Options withWebSeeds(List<String> urls) {
            return new Options(trackerTiers, pieceLength, isPrivate, comment, urls, createdBy, creationDate);
        }

        public Options withCreatedBy(String program) {
            return new Options(trackerTiers, pieceLength, isPrivate, comment, webSeeds, program, creationDate);
        }

        public Options withCreationDate(Instant date) {
            return new Options(trackerTiers, pieceLength, isPrivate, comment, webSeeds, createdBy, Optional.of(date));
        }

        private static List<String> cleanUrls(List<String> urls) {
            return urls.stream().map(String::strip).filter(url -> !url.isEmpty()).distinct().toList();
        }
    }

    /**
     * Hashes {@code source}, a file or a directory, and returns the bytes of a .torrent file for it.
     *
     * @throws IOException when the source cannot be read, holds no data, has a name that a torrent
     *     cannot carry, or changes while it is hashed
     */
    public static byte[] create(Path source, Options options, ProgressListener progress) throws IOException {
        Objects.requireNonNull(progress);
        SourceFiles content = SourceFiles.scan(source);
        long totalLength = content.totalLength();
        if (totalLength == 0) {
            throw new IOException("cannot make a torrent of " + source + ": it holds no data (every file is empty)");
        }
        int pieceLength = options.pieceLength().orElseGet(() -> PieceLengthChooser.choose(totalLength));
        if (Math.ceilDiv(totalLength, pieceLength) > InfoDictParser.MAX_PIECES) {
            throw new IOException("cannot make a torrent of " + source + ": " + totalLength + " bytes in pieces of "
                    + pieceLength + " bytes are more than " + InfoDictParser.MAX_PIECES + " pieces; choose larger pieces");
        }
        byte[] pieces = PieceHasher.hash(content.files(), totalLength, pieceLength, progress);
        content.checkUnchanged();
        byte[] torrent = BencodeEncoder.encode(torrent(info(content, pieceLength, pieces, options.isPrivate()), options));
        MetainfoParser.parse(torrent);
        return torrent;
    }

    private static BDict info(SourceFiles content, int pieceLength, byte[] pieces, boolean isPrivate) {
        BDict.Builder info = BDict.builder()
                .put("name", content.name())
                .put("piece length", pieceLength)
                .put("pieces", pieces);
        if (content.singleFile()) {
            info.put("length", content.totalLength());
        } else {
            List<BValue> files = new ArrayList<>(content.files().size());
            for (SourceFile file : content.files()) {
                files.add(BDict.builder()
                        .put("length", file.length())
                        .put("path", strings(file.path()))
                        .build());
            }
            info.put("files", new BList(files));
        }
        if (isPrivate) {
            info.put("private", 1);
        }
        return info.build();
    }

    private static BDict torrent(BDict info, Options options) {
        BDict.Builder torrent = BDict.builder().put("info", info);
        List<List<String>> tiers = options.trackerTiers();
        if (!tiers.isEmpty()) {
            torrent.put("announce", tiers.getFirst().getFirst());
        }
        // BEP 12: an announce-list only when there is more than the one announce URL to list
        if (tiers.stream().mapToInt(List::size).sum() > 1) {
            torrent.put("announce-list", new BList(tiers.stream().<BValue>map(TorrentCreator::strings).toList()));
        }
        options.comment().ifPresent(comment -> torrent.put("comment", comment));
        torrent.put("created by", options.createdBy());
        torrent.put("creation date", options.creationDate().orElseGet(Instant::now).getEpochSecond());
        if (!options.webSeeds().isEmpty()) {
            torrent.put("url-list", strings(options.webSeeds()));
        }
        return torrent.build();
    }

    private static BList strings(List<String> texts) {
        return new BList(texts.stream().<BValue>map(BString::of).toList());
    }
}
