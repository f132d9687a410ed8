package pyto.bencode;

import java.io.IOException;

/** Input that is not valid bencoding; the message says what is wrong and at which byte. */
public final class BencodeException extends IOException {

    private final int offset;

    public BencodeException(String problem, int offset) {
        super(problem + " at byte " + offset);
        this.offset = offset;
    }

    /** Where in the input the problem was found (0-based). */
    public int offset() {
        return offset;
    }
}
