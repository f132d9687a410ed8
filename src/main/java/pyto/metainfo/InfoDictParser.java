package pyto.metainfo;

import java.util.List;
import pyto.bencode.BDict;
import pyto.bencode.BInteger;
import pyto.bencode.BString;
import pyto.bencode.BValue;

/**
 * Reads and checks a torrent's info dictionary (BEP 3): name, piece length, piece hashes and the
 * files, with BEP 27's private flag. Everything a torrent could lie about is checked here, so the
 * rest of pyto can trust a {@link Metainfo}'s numbers and paths. Runs on the caller's thread.
 *
 * <p>pyto is a v1 client. A BEP 52 v2-only torrent (no {@code pieces}) is refused with a message
 * that says so; a hybrid v1+v2 torrent is read through its v1 keys, after a look at the shape of
 * its v2 file tree ({@link HybridFileTree}).
 */
final class InfoDictParser {

    /**
     * The largest piece accepted. libtorrent takes pieces of up to 512 MiB (its
     * large_piece_size.torrent has 512 MiB - 16 KiB), and nothing real comes near it.
     */
    static final long MAX_PIECE_LENGTH = 512L * 1024 * 1024;

    /**
     * The most pieces accepted: 80 MiB of hashes, more than a torrent file pyto reads can hold,
     * and piece numbers stay far inside an {@code int}. Checked before the hashes are counted so
     * that a torrent claiming terabytes (libtorrent's many_pieces) says what is wrong with it.
     */
    static final long MAX_PIECES = 1L << 22;

    /** A checked info dictionary: the parts of {@link Metainfo} that the info hash covers. */
    record Info(String name, long pieceLength, PieceHashes pieces, List<FileEntry> files,
                boolean multiFile, long totalLength, boolean isPrivate) {
    }

    private InfoDictParser() {
    }

    static Info parse(BDict info) throws MetainfoException {
        checkVersion(info);
        String name = name(info);
        long pieceLength = pieceLength(info);
        byte[] pieces = pieces(info);
        boolean multiFile = info.containsKey("files");
        if (multiFile && info.containsKey("length")) {
            throw new MetainfoException(
                    "the info dictionary has both 'length' (one file) and 'files' (several): it cannot be both");
        }
        List<FileEntry> files;
        if (multiFile) {
            files = FileListParser.parse(name, info.get("files").orElseThrow());
        } else {
            BValue length = info.get("length").orElseThrow(() -> new MetainfoException(
                    "the info dictionary has neither 'length' (one file) nor 'files' (several)"));
            files = List.of(new FileEntry(List.of(name), checkLength(length, "the file"), 0, false));
        }
        long totalLength = files.getLast().end();
        checkPieceCount(totalLength, pieceLength, pieces.length / PieceHashes.HASH_LENGTH);
        if (info.containsKey("file tree")) {
            HybridFileTree.check(info.get("file tree").orElseThrow());
        }
        boolean isPrivate = info.integer("private").orElse(0L) == 1;
        return new Info(name, pieceLength, new PieceHashes(pieces), files, multiFile, totalLength, isPrivate);
    }

    /** Refuses v2-only torrents plainly, and versions that did not exist when this was written. */
    private static void checkVersion(BDict info) throws MetainfoException {
        BValue version = info.get("meta version").orElse(null);
        boolean v2 = version instanceof BInteger(long v) && v == 2;
        if (!info.containsKey("pieces") && (v2 || info.containsKey("file tree"))) {
            throw new MetainfoException("this is a v2-only (BEP 52) torrent without v1 piece hashes;"
                    + " pyto is a v1 client and cannot join it");
        }
        if (version != null && !v2 && !(version instanceof BInteger(long v) && v == 1)) {
            throw new MetainfoException("unknown 'meta version' " + version + " in the info dictionary");
        }
    }

    private static String name(BDict info) throws MetainfoException {
        String name = info.get("name").filter(BString.class::isInstance).map(v -> ((BString) v).text())
                .orElseThrow(() -> new MetainfoException("the info dictionary has no 'name' string"));
        var problem = FilePathRules.problem(name);
        if (problem.isPresent()) {
            throw new MetainfoException("the torrent's name is not usable as a file name: it is " + problem.get());
        }
        return name;
    }

    private static long pieceLength(BDict info) throws MetainfoException {
        long pieceLength = info.integer("piece length").orElseThrow(() -> new MetainfoException(
                "the info dictionary has no 'piece length' integer"));
        if (pieceLength <= 0) {
            throw new MetainfoException("the piece length must be positive, not " + pieceLength);
        }
        if (pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("the piece length " + pieceLength + " is larger than 512 MiB");
        }
        return pieceLength;
    }

    private static byte[] pieces(BDict info) throws MetainfoException {
        byte[] pieces = info.string("pieces").map(BString::bytes).orElseThrow(() -> new MetainfoException(
                "the info dictionary has no 'pieces' string of piece hashes"));
        if (pieces.length % PieceHashes.HASH_LENGTH != 0) {
            throw new MetainfoException("'pieces' is " + pieces.length
                    + " bytes long, not a multiple of 20 (one SHA-1 hash per piece)");
        }
        return pieces;
    }

    private static void checkPieceCount(long totalLength, long pieceLength, long hashes) throws MetainfoException {
        if (totalLength == 0) {
            throw new MetainfoException("the torrent holds no data: its total length is 0 bytes");
        }
        long needed = Math.ceilDiv(totalLength, pieceLength);
        if (needed > MAX_PIECES) {
            throw new MetainfoException("too many pieces: " + totalLength + " bytes in pieces of " + pieceLength
                    + " bytes make " + needed + " pieces, more than " + MAX_PIECES);
        }
        if (hashes != needed) {
            throw new MetainfoException("'pieces' holds " + hashes + (hashes == 1 ? " piece hash" : " piece hashes")
                    + ", but " + totalLength
                    + " bytes in pieces of " + pieceLength + " bytes need " + needed);
        }
    }

    /** A file length: a non-negative integer. {@code what} names the file for the message. */
    static long checkLength(BValue value, String what) throws MetainfoException {
        if (!(value instanceof BInteger(long length))) {
            throw new MetainfoException(what + "'s length is not an integer");
        }
        if (length < 0) {
            throw new MetainfoException(what + " has a negative length (" + length + ")");
        }
        return length;
    }

    /** {@code offset + length}, refusing totals that no real torrent reaches instead of overflowing. */
    static long addLength(long offset, long length) throws MetainfoException {
        long end = offset + length;
        if (end < offset || end > Long.MAX_VALUE / 2) {
            throw new MetainfoException("the files add up to more bytes than any torrent can hold");
        }
        return end;
    }
}
