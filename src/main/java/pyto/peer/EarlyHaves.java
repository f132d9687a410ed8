package pyto.peer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import pyto.wire.MessageCodec;
import pyto.wire.ProtocolException;

/**
 * What a peer told us about its pieces before we could check it: a torrent started from a
 * magnet link does not know how many pieces it has until the metadata arrives (BEP 9), and a
 * connection made then can say nothing of its bitfield's length or its haves' indices. They
 * are kept here as they came, and checked, all at once, when the torrent's pieces are ready
 * ({@link PeerDownload#replay}); a peer that lied is dropped then.
 *
 * <p>Also what the fast extension (BEP 6) said meanwhile: the pieces it lets us fetch while
 * choked, and those it suggests. Bounded whatever the peer sends. Not thread-safe: its
 * connection's lock guards it.
 */
final class EarlyHaves {

    /** The most piece numbers kept from allowed-fast and suggest messages; BEP 6 suggests 10. */
    static final int MAX_HINTS = 64;
    /** No metadata we accept has more pieces than this (8 MiB of 20-byte hashes). */
    static final int MAX_PIECES = MessageCodec.MAX_BITFIELD_WITHOUT_METADATA * 8;

    private byte[] bitfield;
    private boolean all;
    private final BitSet haves = new BitSet();
    private final List<Integer> allowedFast = new ArrayList<>();
    private final List<Integer> suggested = new ArrayList<>();
    private boolean peerChoking = true;

    /** A bitfield, have_all or have_none may come late, and more than once: each adds to the last. */
    void bitfield(byte[] bits) {
        if (bitfield == null || bitfield.length != bits.length) {
            bitfield = bits.clone();
            return;
        }
        for (int i = 0; i < bits.length; i++) {
            bitfield[i] |= bits[i];
        }
    }

    void haveAll() {
        all = true;
    }

    void have(int piece) throws ProtocolException {
        haves.set(checked(piece, "have"));
    }

    void allowedFast(int piece) throws ProtocolException {
        hint(allowedFast, checked(piece, "allowed fast"));
    }

    void suggest(int piece) throws ProtocolException {
        hint(suggested, checked(piece, "suggest piece"));
    }

    void peerChoking(boolean choking) {
        peerChoking = choking;
    }

    byte[] bitfield() {
        return bitfield;
    }

    boolean all() {
        return all;
    }

    BitSet haves() {
        return haves;
    }

    List<Integer> allowedFast() {
        return allowedFast;
    }

    List<Integer> suggested() {
        return suggested;
    }

    boolean peerChoking() {
        return peerChoking;
    }

    private static void hint(List<Integer> list, int piece) {
        if (list.size() < MAX_HINTS && !list.contains(piece)) {
            list.add(piece);
        }
    }

    /** An index no torrent we would accept can have is a lie already. */
    private static int checked(int piece, String message) throws ProtocolException {
        if (piece >= MAX_PIECES) {
            throw new ProtocolException(message + " for piece " + piece + ": no torrent pyto accepts has that many");
        }
        return piece;
    }
}
