package pyto.peer;

import pyto.wire.ExtensionMessage;

/**
 * What the metadata exchange (BEP 9, {@link MetadataExchange}) needs of a peer: what its
 * extended handshake said about the metadata, a way to send it ut_metadata messages, who it
 * is, and a way to drop it. {@link PeerConnection} is one; tests use their own.
 */
interface MetadataPeer {

    /** The size of the metadata the peer's extended handshake gave (BEP 9 {@code metadata_size}), or -1. */
    long metadataSize();

    /** Whether the peer advertised ut_metadata, so that we may send it requests. */
    boolean offersMetadata();

    /** Sends a ut_metadata message; false when the peer does not (or no longer) take them. */
    boolean sendMetadataMessage(ExtensionMessage message);

    /** How many of our metadata answers still wait in the peer's writer. */
    int answersQueued();

    /** Who the peer is, across connections: bans outlive a connection. */
    PeerIdentity identity();

    /** Ends the connection. */
    void close();
}
