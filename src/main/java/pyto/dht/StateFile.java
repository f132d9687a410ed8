package pyto.dht;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import pyto.bencode.BDict;
import pyto.bencode.BString;
import pyto.bencode.BencodeDecoder;

/**
 * The DHT's memory between runs, {@code dht.dat} in the state directory: our node id, so that
 * the nodes that know us keep knowing us, and the nodes that were good, so that the next start
 * needs no bootstrap router. A bencoded dictionary, like libtorrent's DHT state:
 * {@code {"id": 20 bytes, "nodes": compact node info}}.
 *
 * <p>Written to a temporary file that then replaces the old one, so that a crash mid-write
 * leaves the previous state whole. A file that cannot be read is reported and ignored: the node
 * starts afresh. Called by the node's maintenance thread and by {@link DhtNode#close()}.
 */
final class StateFile {

    static final String NAME = "dht.dat";
    /** 26 bytes a node: a few hundred nodes make a small file and plenty to start from. */
    static final int MAX_NODES = 400;
    private static final int MAX_FILE = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(StateFile.class.getName());

    record Saved(NodeId id, List<Contact> nodes) {
    }

    private StateFile() {
    }

    static Optional<Saved> load(Path directory) {
        Path file = directory.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new IOException("over " + MAX_FILE + " bytes");
            }
            BDict state = BencodeDecoder.decodeDict(Files.readAllBytes(file));
            BString id = state.string("id").filter(s -> s.length() == NodeId.LENGTH)
                    .orElseThrow(() -> new IOException("no 20-byte id"));
            List<Contact> nodes = CompactInfo.nodes(state.string("nodes").map(BString::bytes).orElse(new byte[0]));
            nodes = nodes.stream().filter(c -> Addresses.isUsable(c.address())).limit(MAX_NODES).toList();
            return Optional.of(new Saved(new NodeId(id.bytes()), nodes));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "DHT: ignoring " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    static void save(Path directory, NodeId id, List<Contact> nodes) throws IOException {
        Files.createDirectories(directory);
        byte[] bytes = BDict.builder()
                .put("id", id.bytes())
                .put("nodes", CompactInfo.nodes(nodes.subList(0, Math.min(MAX_NODES, nodes.size()))))
                .build().encode();
        Path file = directory.resolve(NAME);
        Path temporary = Files.createTempFile(directory, NAME, ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
