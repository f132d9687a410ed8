package pyto.dht;

import java.io.IOException;
import java.util.Optional;
import pyto.bencode.BString;

/**
 * A KRPC message that cannot be taken (BEP 5): not bencoded, not a dictionary, a key missing
 * or of the wrong type, an id that is not 20 bytes, a compact list of the wrong length. When
 * the message was a query with a transaction id, the node answers with {@link #code()}
 * (203 protocol error, 204 method unknown); anything else is dropped.
 */
public final class KrpcException extends IOException {

    private final int code;
    private final transient Optional<BString> tid;
    private final boolean query;

    KrpcException(String problem) {
        this(problem, KrpcMessage.Error.PROTOCOL, Optional.empty(), false);
    }

    KrpcException(String problem, int code, Optional<BString> tid, boolean query) {
        super(problem);
        this.code = code;
        this.tid = tid;
        this.query = query;
    }

    /** The same problem, now that the message's transaction id and kind are known. */
    KrpcException in(BString tid, boolean query) {
        return new KrpcException(getMessage(), code, Optional.of(tid), query);
    }

    public int code() {
        return code;
    }

    /** The transaction id of the message, when it got that far. */
    public Optional<BString> tid() {
        return tid;
    }

    /** Whether the message was a query, and so deserves an error reply. */
    public boolean isQuery() {
        return query;
    }
}
