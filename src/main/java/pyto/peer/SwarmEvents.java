package pyto.peer;

import java.io.IOException;

/**
 * What a torrent hears from its swarm, on whichever peer thread caused it. The session's
 * torrent implements it: it updates its status, wakes the choker, or stops on a disk error.
 */
public interface SwarmEvents {

    /** A piece arrived whole and matched its hash; we have it now. */
    void pieceVerified(int piece);

    /** Writing or reading our data failed (disk full, file removed): the torrent cannot go on. */
    void diskFailed(IOException error);

    /** A peer became interested or not interested in us: the choker may want to act at once. */
    void interestChanged(PeerConnection peer);

    /** A peer's connection ended, for whatever reason. */
    void peerGone(PeerConnection peer);
}
