package pyto.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import pyto.metainfo.FileEntry;
import pyto.metainfo.InfoHash;
import pyto.metainfo.Metainfo;
import pyto.metainfo.PieceHashes;

/**
 * Builds a {@link Metainfo} in code from a list of files with their bytes and a piece length,
 * computing the SHA-1 of every piece itself, so storage tests need no .torrent files.
 *
 * <pre>{@code
 * TestTorrent t = TestTorrent.multiFile("album", 5).file("a.txt", "hello").pad(3).file("b.txt", ", world").build();
 * }</pre>
 *
 * Files given only a length ({@link #sizedFile}) have no content; their torrent's piece hashes
 * are zeros except those set with {@link #pieceHash}, so huge sparse torrents cost nothing.
 */
final class TestTorrent {

    final Metainfo metainfo;
    private final byte[] content; // null for torrents with sized files

    private TestTorrent(Metainfo metainfo, byte[] content) {
        this.metainfo = metainfo;
        this.content = content;
    }

    static Builder singleFile(String name, int pieceLength) {
        return new Builder(name, pieceLength, false);
    }

    static Builder multiFile(String name, int pieceLength) {
        return new Builder(name, pieceLength, true);
    }

    /** The torrent's whole byte stream, pad files as zeros. */
    byte[] content() {
        return content.clone();
    }

    /** The bytes of piece {@code piece}, block-sliceable. */
    byte[] piece(int piece) {
        long start = piece * metainfo.pieceLength();
        return Arrays.copyOfRange(content, (int) start, (int) (start + metainfo.pieceSize(piece)));
    }

    /** The bytes of file {@code file}. */
    byte[] file(int file) {
        FileEntry f = metainfo.files().get(file);
        return Arrays.copyOfRange(content, (int) f.offset(), (int) f.end());
    }

    /** Three files of uneven sizes in 1 KiB pieces, under t/: a = pieces 0-9, b = 10-17 (17 shared with c), c = 17-21. */
    static TestTorrent threeFiles() {
        return multiFile("t", 1024)
                .file("a", randomBytes(10 * 1024, 1))
                .file("b", randomBytes(7 * 1024 + 512, 2))
                .file("c", randomBytes(4 * 1024 + 512, 3))
                .build();
    }

    /** Puts the files under {@code dir} as another client would have left them; their paths, in order. */
    List<Path> writeFiles(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < metainfo.files().size(); i++) {
            Path path = dir.resolve(metainfo.files().get(i).displayPath());
            Files.createDirectories(path.getParent());
            written.add(Files.write(path, file(i)));
        }
        return written;
    }

    /** A check's result, a character per piece: '*' verified, '.' missing. */
    static String pieceMap(CheckResult result) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < result.pieceCount(); i++) {
            s.append(result.has(i) ? '*' : '.');
        }
        return s.toString();
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] sha1(byte[] bytes) {
        return Storage.sha1().digest(bytes);
    }

    static final class Builder {
        private final String name;
        private final int pieceLength;
        private final boolean multiFile;
        private final List<FileEntry> files = new ArrayList<>();
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();
        private final Map<Integer, byte[]> pieceHashes = new HashMap<>();
        private boolean sized;
        private long offset;
        private int pads;

        private Builder(String name, int pieceLength, boolean multiFile) {
            this.name = name;
            this.pieceLength = pieceLength;
            this.multiFile = multiFile;
        }

        Builder file(String path, String text) {
            return file(path, text.getBytes(StandardCharsets.UTF_8));
        }

        Builder file(String path, byte[] bytes) {
            content.writeBytes(bytes);
            return add(path, bytes.length, false);
        }

        /** A file with a length but no content (for sparse, huge torrents). */
        Builder sizedFile(String path, long length) {
            sized = true;
            return add(path, length, false);
        }

        /** A BEP 47 pad file of {@code length} zeros, named as BEP 47 suggests. */
        Builder pad(int length) {
            content.writeBytes(new byte[length]);
            return add(".pad/" + length + "-" + pads++, length, true);
        }

        /** Sets the hash of one piece of a torrent with sized files. */
        Builder pieceHash(int piece, byte[] pieceBytes) {
            pieceHashes.put(piece, sha1(pieceBytes));
            return this;
        }

        private Builder add(String path, long length, boolean padding) {
            // as MetainfoParser gives them: a multi-file torrent's paths start with its name
            List<String> components = new java.util.ArrayList<>(List.of(name));
            if (multiFile) {
                components.addAll(List.of(path.split("/")));
            }
            files.add(new FileEntry(components, length, offset, padding));
            offset += length;
            return this;
        }

        TestTorrent build() {
            long total = offset;
            int pieces = (int) ((total + pieceLength - 1) / pieceLength);
            byte[] all = sized ? null : content.toByteArray();
            byte[] hashes = new byte[pieces * PieceHashes.HASH_LENGTH];
            for (int p = 0; p < pieces; p++) {
                byte[] hash = all == null
                        ? pieceHashes.getOrDefault(p, new byte[PieceHashes.HASH_LENGTH])
                        : sha1(Arrays.copyOfRange(all, p * pieceLength, (int) Math.min(total, (long) (p + 1) * pieceLength)));
                System.arraycopy(hash, 0, hashes, p * PieceHashes.HASH_LENGTH, PieceHashes.HASH_LENGTH);
            }
            Metainfo metainfo = new Metainfo(name, pieceLength, new PieceHashes(hashes), files, multiFile,
                    total, new InfoHash(sha1(hashes)), new byte[0], List.of(), false,
                    Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
            return new TestTorrent(metainfo, all);
        }
    }
}
