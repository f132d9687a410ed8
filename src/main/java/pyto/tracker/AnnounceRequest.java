package pyto.tracker;

import java.util.Arrays;
import java.util.Objects;
import pyto.metainfo.InfoHash;

/**
 * What a client tells a tracker about itself and one torrent (BEP 3, "tracker GET requests").
 * The same fields travel in an HTTP query string and, later, in a BEP 15 UDP packet.
 *
 * @param peerId our 20-byte peer id, as sent in handshakes
 * @param port the TCP port we accept peers on (0 when we do not listen)
 * @param left bytes we still miss; 0 makes us a seeder in the tracker's counts
 * @param numWant how many peers we would like; negative leaves it to the tracker
 * @param key a random number that stays the same for the session, so a tracker can recognise
 *     us when our IP address changes
 */
public record AnnounceRequest(
        InfoHash infoHash,
        byte[] peerId,
        int port,
        long uploaded,
        long downloaded,
        long left,
        Event event,
        int numWant,
        int key) {

    public static final int PEER_ID_LENGTH = 20;

    /** The announce's {@code event} parameter; {@code NONE} is a regular re-announce. */
    public enum Event {
        NONE, STARTED, COMPLETED, STOPPED;

        /** The word sent on the wire ("started"); empty for NONE, which is not sent at all. */
        public String wireName() {
            return this == NONE ? "" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AnnounceRequest {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(event, "event");
        if (peerId.length != PEER_ID_LENGTH) {
            throw new IllegalArgumentException("a peer id is 20 bytes, not " + peerId.length);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (uploaded < 0 || downloaded < 0 || left < 0) {
            throw new IllegalArgumentException("negative transfer counts: " + uploaded + "/" + downloaded + "/" + left);
        }
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    /** The same numbers with another event: the announcer decides the event, the torrent the numbers. */
    public AnnounceRequest withEvent(Event newEvent) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, newEvent, numWant, key);
    }

    /** The same request asking for {@code count} peers ({@code stopped} asks for none). */
    public AnnounceRequest withNumWant(int count) {
        return new AnnounceRequest(infoHash, peerId, port, uploaded, downloaded, left, event, count, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnounceRequest r && infoHash.equals(r.infoHash) && Arrays.equals(peerId, r.peerId)
                && port == r.port && uploaded == r.uploaded && downloaded == r.downloaded && left == r.left
                && event == r.event && numWant == r.numWant && key == r.key;
    }

    @Override
    public int hashCode() {
        return Objects.hash(infoHash, Arrays.hashCode(peerId), port, uploaded, downloaded, left, event, numWant, key);
    }

    @Override
    public String toString() {
        return "AnnounceRequest[" + infoHash + " " + event + " port=" + port + " up=" + uploaded + " down=" + downloaded
                + " left=" + left + " numwant=" + numWant + "]";
    }
}
