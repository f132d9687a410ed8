package pyto.peer;

import java.util.List;
import java.util.Map;
import pyto.metainfo.Metainfo;
import pyto.piece.Bitfield;
import pyto.wire.AllowedFastSet;
import pyto.wire.ExtensionIds;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.Handshake;
import pyto.wire.PeerId;

/**
 * What we tell each peer of a torrent about ourselves, and when. In the handshake, the
 * extensions we speak. First, right after the handshakes: our extended handshake (BEP 10), then what we have (a bitfield, or BEP 6's
 * have_all or have_none), then the pieces the peer may fetch while we choke it (BEP 6's
 * canonical allowed-fast set). Later: a new extended handshake when the metadata becomes
 * known (its size for peers that lack it, BEP 9; no metadata or peer exchange if the torrent
 * turns out private, BEP 27).
 *
 * <p>Called by the swarm, under its lock for a new peer so that a piece verified meanwhile
 * reaches the peer as a have after our bitfield.
 */
final class Greetings {

    private final Swarm swarm;

    Greetings(Swarm swarm) {
        this.swarm = swarm;
    }

    /**
     * Our handshake (BEP 3): the extension protocol (BEP 10) and the fast extension (BEP 6)
     * always; the DHT (BEP 5) when we run a node and the torrent is not private (BEP 27).
     */
    Handshake handshake(PeerId ourId) {
        Handshake h = Handshake.of(swarm.infoHash(), ourId)
                .with(Handshake.Extension.EXTENSION_PROTOCOL)
                .with(Handshake.Extension.FAST);
        return swarm.usesDht() ? h.with(Handshake.Extension.DHT) : h;
    }

    /** Greets a peer just admitted; {@code ready} is null while our pieces are not known. */
    void greet(PeerConnection peer, TorrentPieces ready) {
        Bitfield have = ready == null ? null : ready.picker().have();
        int allowed = swarm.settings().allowedFast();
        List<Integer> allowedFast = have == null || allowed == 0 ? List.of()
                : AllowedFastSet.of(peer.address().getAddress(), swarm.infoHash(), have.pieceCount(), allowed);
        int dhtPort = swarm.usesDht() ? swarm.settings().dhtPort() : 0;
        peer.sendFirstMessages(extendedHandshake(peer), have, allowedFast, dhtPort);
    }

    /** The metadata is known now: peers that lack it hear its size (and a private torrent's new rules). */
    void onMetadata(List<PeerConnection> peers, Metainfo known) {
        for (PeerConnection p : peers) {
            if (known.isPrivate() || p.extensions().metadataSize() < 0) {
                p.sendExtendedHandshake(extendedHandshake(p));
            }
        }
    }

    /**
     * Our extended handshake for {@code peer} (BEP 10): the extensions we speak (no metadata
     * exchange and no peer exchange for a private torrent), our name and port, how many
     * requests we queue, the address we see the peer at, the metadata's size once we know it,
     * and whether we only upload (BEP 21).
     */
    ExtendedHandshake extendedHandshake(PeerConnection peer) {
        boolean isPrivate = swarm.isPrivate();
        ExtensionIds ours = isPrivate ? ExtensionIds.of(Map.of(ExtensionIds.UPLOAD_ONLY,
                ExtensionIds.OURS.id(ExtensionIds.UPLOAD_ONLY).orElseThrow())) : ExtensionIds.OURS;
        ExtendedHandshake h = ExtendedHandshake.of(ours)
                .withClient(PeerId.CLIENT_NAME)
                .withRequestQueue(PeerWriter.MAX_UPLOAD_QUEUE)
                .withYourIp(peer.address().getAddress());
        if (swarm.settings().listenPort() > 0) {
            h = h.withListenPort(swarm.settings().listenPort());
        }
        int size = swarm.metadata().size();
        if (size > 0 && !isPrivate) {
            h = h.withMetadataSize(size);
        }
        TorrentPieces ready = swarm.pieces();
        return ready != null && ready.picker().isComplete() ? h.withUploadOnly(true) : h;
    }
}
