package pyto.bencode;

/**
 * A bencoded value (BEP 3, "bencoding"): an integer, a byte string, a list or a dictionary.
 *
 * <p>The interface is sealed, so a {@code switch} over a value names all four kinds and the
 * compiler checks that none is forgotten.
 */
public sealed interface BValue permits BInteger, BString, BList, BDict {

    /** The canonical encoding of this value (dictionary keys sorted). */
    default byte[] encode() {
        return BencodeEncoder.encode(this);
    }
}
