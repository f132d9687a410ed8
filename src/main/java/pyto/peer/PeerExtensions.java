package pyto.peer;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import pyto.wire.ExtensionIds;
import pyto.wire.ExtensionMessage;
import pyto.wire.ExtensionMessage.ExtendedHandshake;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.ExtensionMessage.PeerExchange;
import pyto.wire.ExtensionMessage.UnknownExtended;
import pyto.wire.ExtensionMessage.UploadOnly;
import pyto.wire.ProtocolException;

/**
 * The extension protocol on one connection (BEP 10): what the peer's extended handshake
 * said (which extensions it speaks and under which ids, its client's name, its listen port,
 * how many requests it queues, the size of the metadata, whether it only uploads) and where
 * each extension message goes: ut_metadata to the torrent's {@link MetadataExchange} (BEP 9),
 * ut_pex to this connection's {@link PeerExchangeLink} (BEP 11), upload_only to the swarm
 * (BEP 21).
 *
 * <p>The reader thread handles what arrives; any thread may read the fields, each of which
 * is replaced whole by a later handshake ("each handshake replaces the whole map").
 */
final class PeerExtensions {

    private final PeerConnection connection;
    private final Swarm swarm;
    private final PeerWriter writer;
    private final PeerExchangeLink pex;

    private volatile ExtensionIds theirs = ExtensionIds.NONE;
    private volatile Optional<String> client = Optional.empty();
    private volatile OptionalInt listenPort = OptionalInt.empty();
    private volatile long metadataSize = -1;
    private volatile boolean uploadOnly;
    private volatile boolean handshakeReceived;

    PeerExtensions(PeerConnection connection, Swarm swarm, PeerWriter writer) {
        this.connection = connection;
        this.swarm = swarm;
        this.writer = writer;
        this.pex = new PeerExchangeLink(connection, swarm, writer);
    }

    /** Where the reader hands every extension message. */
    void handle(ExtensionMessage message) throws ProtocolException {
        switch (message) {
            case ExtendedHandshake h -> onHandshake(h);
            case MetadataRequest(int piece) -> swarm.metadata().onRequest(connection, piece);
            case MetadataData d -> swarm.metadata().onData(connection, d);
            case MetadataReject(int piece) -> swarm.metadata().onReject(connection, piece);
            case PeerExchange p -> pex.onMessage(p);
            case UploadOnly(boolean only) -> onUploadOnly(only);
            case UnknownExtended u -> { } // an extension we did not advertise: skipped by its length
        }
    }

    private void onHandshake(ExtendedHandshake h) {
        theirs = h.ids();
        client = h.client();
        listenPort = h.listenPort();
        metadataSize = h.metadataSize().orElse(-1);
        boolean first = !handshakeReceived;
        handshakeReceived = true;
        h.requestQueue().ifPresent(connection::limitRequests);
        h.yourIp().ifPresent(this::onYourIp);
        onUploadOnly(h.uploadOnly());
        swarm.metadata().onPeerHandshake(connection);
        if (first) {
            pex.onConnected();
        }
    }

    private void onUploadOnly(boolean only) {
        boolean changed = only != uploadOnly;
        uploadOnly = only;
        if (changed && only) {
            swarm.onUploadOnly(connection);
        }
    }

    private void onYourIp(InetAddress address) {
        swarm.events().externalAddress(address);
    }

    /** Sends an extension message if the peer advertised its extension; false when it did not. */
    boolean send(ExtensionMessage message) {
        if (!theirs.canSend(message)) {
            return false;
        }
        writer.send(message);
        return true;
    }

    boolean supports(String extension) {
        return theirs.supports(extension);
    }

    /** The peer's client, as its handshake's {@code v} named it. */
    Optional<String> client() {
        return client;
    }

    /** The port the peer accepts connections on (BEP 10 {@code p}), for peer exchange. */
    OptionalInt listenPort() {
        return listenPort;
    }

    /** The size of the metadata as the peer says (BEP 9), or -1. */
    long metadataSize() {
        return metadataSize;
    }

    boolean isUploadOnly() {
        return uploadOnly;
    }

    boolean handshakeReceived() {
        return handshakeReceived;
    }

    ExtensionIds theirs() {
        return theirs;
    }

    PeerExchangeLink pex() {
        return pex;
    }
}
