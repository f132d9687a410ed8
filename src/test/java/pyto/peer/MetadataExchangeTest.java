package pyto.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import pyto.metainfo.InfoHash;
import pyto.wire.ExtensionMessage;
import pyto.wire.ExtensionMessage.MetadataData;
import pyto.wire.ExtensionMessage.MetadataReject;
import pyto.wire.ExtensionMessage.MetadataRequest;
import pyto.wire.PeerId;

/**
 * The metadata exchange (BEP 9) on a clock of its own, with peers that are only what the
 * exchange sees of them: what they ask, what they answer, whether they were dropped.
 */
class MetadataExchangeTest {

    private static final int PIECE = MetadataExchange.PIECE;

    private final byte[] metadata = random(2 * PIECE + 1000); // three pieces, the last short
    private final InfoHash infoHash = new InfoHash(sha1(metadata));
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<byte[]> fetched = new ArrayList<>();
    private final MetadataExchange exchange = new MetadataExchange(infoHash, fetched::add, now::get);

    /** A peer as the exchange sees it; it records what it is sent. */
    private static final class FakePeer implements MetadataPeer {
        final PeerIdentity identity = new PeerIdentity(null, PeerId.generate());
        final long size;
        final List<ExtensionMessage> received = new ArrayList<>();
        boolean closed;

        FakePeer(long size) {
            this.size = size;
        }

        @Override
        public long metadataSize() {
            return size;
        }

        @Override
        public boolean offersMetadata() {
            return true;
        }

        @Override
        public boolean sendMetadataMessage(ExtensionMessage message) {
            received.add(message);
            return true;
        }

        @Override
        public int answersQueued() {
            return 0;
        }

        @Override
        public PeerIdentity identity() {
            return identity;
        }

        @Override
        public void close() {
            closed = true;
        }

        List<Integer> asked() {
            return received.stream().filter(MetadataRequest.class::isInstance)
                    .map(m -> ((MetadataRequest) m).piece()).toList();
        }
    }

    private FakePeer peer() {
        FakePeer p = new FakePeer(metadata.length);
        exchange.onPeerHandshake(p);
        return p;
    }

    private MetadataData piece(int index, byte[] of) {
        int from = index * PIECE;
        return new MetadataData(index, of.length, Arrays.copyOfRange(of, from, Math.min(of.length, from + PIECE)));
    }

    @Test
    void piecesFromSeveralPeersMakeTheMetadataWhenItsHashIsTheInfoHash() {
        FakePeer a = peer();
        FakePeer b = peer();
        assertThat(a.asked()).as("at most two pieces of a peer at once").hasSize(2);
        assertThat(b.asked()).hasSize(1);
        for (FakePeer p : List.of(a, b)) {
            for (int index : p.asked()) {
                exchange.onData(p, piece(index, metadata));
            }
        }
        assertThat(fetched).singleElement().isEqualTo(metadata);
        assertThat(exchange.isKnown()).isTrue();
    }

    @Test
    void aPieceWeDidNotAskForGetsThePeerDroppedAndBanned() {
        FakePeer a = peer();
        FakePeer liar = new FakePeer(metadata.length); // never asked for anything: it is not a candidate yet
        exchange.onData(liar, piece(2, metadata));
        assertThat(liar.closed).isTrue();
        assertThat(exchange.isBanned(liar.identity())).isTrue();
        assertThat(a.closed).isFalse();
    }

    @Test
    void aPieceOfTheWrongSizeGetsThePeerBannedAndItsPiecesAskedOfOthers() {
        FakePeer liar = peer();
        int asked = liar.asked().getFirst();
        exchange.onData(liar, new MetadataData(asked, metadata.length, new byte[100]));
        assertThat(liar.closed).isTrue();
        assertThat(exchange.isBanned(liar.identity())).isTrue();

        FakePeer honest = peer();
        assertThat(honest.asked()).as("the liar's pieces go to the next peer").contains(asked);
    }

    @Test
    void metadataFromOnePeerThatDoesNotMatchTheHashBansThatPeer() {
        byte[] wrong = metadata.clone();
        wrong[5] ^= 1;
        FakePeer liar = peer();
        while (!exchange.isKnown() && !liar.closed) {
            List<Integer> asked = liar.asked();
            liar.received.clear();
            for (int index : asked) {
                exchange.onData(liar, piece(index, wrong));
            }
        }
        assertThat(fetched).isEmpty();
        assertThat(liar.closed).isTrue();
        assertThat(exchange.isBanned(liar.identity())).isTrue();

        FakePeer honest = peer();
        answerAll(honest);
        assertThat(fetched).singleElement().isEqualTo(metadata);
    }

    /**
     * Pieces from a liar and an honest peer make bad metadata: nobody can tell who lied, so
     * nobody is banned yet; the next attempts fetch every piece from one peer, and the liar is
     * then found out, and the metadata got from the honest peer.
     */
    @Test
    void badMetadataFromSeveralPeersIsFetchedAgainOnePeerAtATime() {
        byte[] wrong = metadata.clone();
        wrong[PIECE + 7] ^= 1; // in the second piece
        FakePeer liar = peer();
        FakePeer honest = peer();
        for (int round = 0; round < 20 && fetched.isEmpty(); round++) {
            for (FakePeer p : List.of(liar, honest)) {
                List<Integer> asked = p.asked();
                p.received.clear();
                for (int index : asked) {
                    exchange.onData(p, piece(index, p == liar ? wrong : metadata));
                }
            }
        }
        assertThat(fetched).singleElement().isEqualTo(metadata);
        assertThat(honest.closed).isFalse();
    }

    @Test
    void aPeerThatRejectsIsAskedAgainOnlyAfterAMinute() {
        FakePeer a = peer();
        int asked = a.asked().getFirst();
        a.received.clear();
        exchange.onReject(a, asked);
        exchange.tick();
        assertThat(a.asked()).as("asked right after its reject").isEmpty();
        now.addAndGet(MetadataExchange.REJECT_PAUSE_MILLIS + 1);
        exchange.tick();
        assertThat(a.asked()).as("asked a minute later").isNotEmpty();
        assertThat(a.closed).as("a reject is not a fault").isFalse();
    }

    @Test
    void anUnansweredRequestIsAskedOfAnotherPeerAfterItsTimeout() {
        FakePeer slow = peer();
        List<Integer> owed = slow.asked();
        now.addAndGet(MetadataExchange.REQUEST_TIMEOUT_MILLIS / 2);
        FakePeer other = peer();
        other.received.clear();
        now.addAndGet(MetadataExchange.REQUEST_TIMEOUT_MILLIS / 2 + 1);
        exchange.tick();
        assertThat(other.asked()).containsAnyElementsOf(owed);
        // The slow peer's answer comes late after all: welcome, and no fault.
        exchange.onData(slow, piece(owed.getFirst(), metadata));
        assertThat(slow.closed).isFalse();
    }

    @Test
    void sizesAbove8MiBOrBelowOneByteAreNeverFetched() {
        FakePeer huge = new FakePeer(MetadataExchange.MAX_SIZE + 1L);
        FakePeer none = new FakePeer(0);
        exchange.onPeerHandshake(huge);
        exchange.onPeerHandshake(none);
        assertThat(huge.asked()).isEmpty();
        assertThat(none.asked()).isEmpty();
        assertThat(exchange.sources()).isZero();
    }

    @Test
    void servesWhatItKnowsAndRejectsTheRest() {
        FakePeer asker = new FakePeer(-1);
        exchange.onRequest(asker, 0);
        assertThat(asker.received).as("nothing to serve yet").containsExactly(new MetadataReject(0));

        exchange.know(metadata, true);
        asker.received.clear();
        exchange.onRequest(asker, 2);
        exchange.onRequest(asker, 3);
        assertThat(asker.received).containsExactly(piece(2, metadata), new MetadataReject(3));

        MetadataExchange privateOne = new MetadataExchange(infoHash, fetched::add, now::get);
        privateOne.know(metadata, false);
        asker.received.clear();
        privateOne.onRequest(asker, 0);
        assertThat(asker.received).as("a private torrent's metadata is never given out").containsExactly(new MetadataReject(0));
    }

    private void answerAll(FakePeer p) {
        while (!exchange.isKnown() && !p.closed && !p.asked().isEmpty()) {
            List<Integer> asked = p.asked();
            p.received.clear();
            for (int index : asked) {
                exchange.onData(p, piece(index, metadata));
            }
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
