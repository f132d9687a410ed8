package pyto.piece;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The situations the picker meets, each set up from pictures: availability {@code "2223333"}
 * (how many peers have each piece) and our have-map {@code "* * *  "}.
 */
class PiecePickerTest {

    private static final int BLOCK = PieceGeometry.BLOCK_SIZE;
    private static final Set<Block> NONE = Set.of();

    @Test
    void choosesTheRarestPieceOnceWeHaveAFew() {
        PiecePicker picker = picker("44443213", "****    ", 1);
        Bitfield seed = Bitfield.full(8);

        assertThat(pieces(picker.pick(seed, 2, NONE))).containsExactly(6);
        assertThat(pieces(picker.pick(seed, 2, NONE))).containsExactly(5);
        assertThat(pieces(picker.pick(seed, 4, NONE))).containsExactlyInAnyOrder(4, 7);
    }

    @Test
    void breaksTiesAmongTheRarestAtRandom() {
        Set<Integer> firstChoices = new TreeSet<>();
        for (int seed = 0; seed < 100; seed++) {
            PiecePicker picker = picker("44442322", "****    ", seed);
            firstChoices.addAll(pieces(picker.pick(Bitfield.full(8), 1, NONE)));
        }
        assertThat(firstChoices).containsExactly(4, 6, 7);
    }

    @Test
    void choosesAtRandomUntilWeHaveFourPieces() {
        Set<Integer> firstChoices = new TreeSet<>();
        for (int seed = 0; seed < 100; seed++) {
            PiecePicker picker = picker("19999999", "        ", seed);
            firstChoices.addAll(pieces(picker.pick(Bitfield.full(8), 1, NONE)));
        }
        assertThat(firstChoices).hasSizeGreaterThan(5);  // rarest first would always say 0

        for (int seed = 0; seed < 20; seed++) {
            PiecePicker picker = picker("19999999", " ****   ", seed);
            assertThat(pieces(picker.pick(Bitfield.full(8), 1, NONE))).containsExactly(0);
        }
    }

    @Test
    void asksOnlyForPiecesThePeerHas() {
        PiecePicker picker = picker("1111", "    ", 1);

        assertThat(picker.pick(Bitfield.parse("  * "), 10, NONE))
                .containsExactly(new Block(2, 0, BLOCK), new Block(2, BLOCK, BLOCK));
        assertThat(picker.pick(Bitfield.parse("    "), 10, NONE)).isEmpty();
    }

    @Test
    void finishesStartedPiecesMostCompleteFirst() {
        PiecePicker picker = new PiecePicker(new PieceGeometry(8L * 4 * BLOCK, 4 * BLOCK), new Random(1));
        picker.onBitfield(Bitfield.full(8));
        picker.pick(Bitfield.parse("  *     "), 3, NONE);   // piece 2: 3 of 4 blocks asked for
        picker.pick(Bitfield.parse("     *  "), 1, NONE);   // piece 5: 1 of 4

        assertThat(picker.pick(Bitfield.full(8), 1, NONE)).containsExactly(new Block(2, 3 * BLOCK, BLOCK));
        assertThat(picker.pick(Bitfield.full(8), 3, NONE))
                .containsExactly(new Block(5, BLOCK, BLOCK), new Block(5, 2 * BLOCK, BLOCK), new Block(5, 3 * BLOCK, BLOCK));
    }

    @Test
    void inEndgameAsksUpToThreePeersForTheSameBlock() {
        PiecePicker picker = picker("4", " ", 1);   // one piece of two blocks
        Bitfield seed = Bitfield.full(1);
        Block first = new Block(0, 0, BLOCK);
        Block second = new Block(0, BLOCK, BLOCK);

        List<Block> a = picker.pick(seed, 5, NONE);
        assertThat(a).containsExactly(first, second);
        assertThat(picker.isEndgame()).isTrue();
        assertThat(picker.pick(seed, 5, Set.copyOf(a))).isEmpty();   // a has them already

        assertThat(picker.pick(seed, 1, NONE)).containsExactly(first);    // b
        assertThat(picker.pick(seed, 1, NONE)).containsExactly(second);   // c: asked of fewest first
        assertThat(picker.pick(seed, 5, Set.of(first))).containsExactly(second);  // third ask
        assertThat(picker.pick(seed, 5, NONE)).containsExactly(first);   // third ask
        assertThat(picker.pick(seed, 5, NONE)).isEmpty();                // three peers each: enough
    }

    @Test
    void claimKeepsOnlyTheFirstCopyOfABlock() {
        PiecePicker picker = picker("22", "  ", 1);
        Block asked = picker.pick(Bitfield.parse("* "), 1, NONE).getFirst();

        assertThat(picker.claim(asked)).isTrue();
        assertThat(picker.claim(asked)).isFalse();
        assertThat(picker.claim(new Block(1, 0, BLOCK))).as("never asked for").isFalse();
        assertThat(picker.claim(new Block(0, 100, BLOCK))).as("not one of our blocks").isFalse();
        assertThat(picker.claim(new Block(0, BLOCK, BLOCK - 1))).as("wrong length").isFalse();
    }

    @Test
    void aBlockThatArrivesAfterItsRequestWasCancelledIsStillWelcome() {
        PiecePicker picker = picker("1", " ", 1);
        List<Block> asked = picker.pick(Bitfield.full(1), 2, NONE);
        picker.onRequestsCancelled(List.of(asked.get(1)));   // piece 0 still has block 0 asked for

        assertThat(picker.claim(asked.get(1))).isTrue();
        assertThat(picker.pick(Bitfield.full(1), 2, Set.of(asked.getFirst()))).isEmpty();
    }

    @Test
    void aPieceIsCompleteWhenItsLastBlockIsWrittenAndHaveOnlyOnceVerified() {
        PiecePicker picker = picker("1", " ", 1);
        List<Block> blocks = picker.pick(Bitfield.full(1), 2, NONE);

        blocks.forEach(picker::claim);
        assertThat(picker.onBlockStored(blocks.get(0))).isFalse();
        assertThat(picker.onBlockStored(blocks.get(1))).isTrue();
        assertThat(picker.isComplete()).isFalse();
        assertThat(picker.pick(Bitfield.full(1), 2, NONE)).as("waiting for its hash check").isEmpty();

        picker.onPieceVerified(0);
        assertThat(picker.isComplete()).isTrue();
        assertThat(picker.have()).isEqualTo(Bitfield.parse("*"));
        assertThat(picker.claim(blocks.getFirst())).as("late duplicate of verified data").isFalse();
    }

    @Test
    void aPieceThatFailsItsHashCheckIsWantedAgain() {
        PiecePicker picker = picker("1", " ", 1);
        List<Block> blocks = picker.pick(Bitfield.full(1), 2, NONE);
        for (Block block : blocks) {
            picker.claim(block);
            picker.onBlockStored(block);
        }

        picker.onPieceFailed(0);

        assertThat(picker.pick(Bitfield.full(1), 2, NONE)).isEqualTo(blocks);
        assertThat(picker.bytesLeft()).isEqualTo(2 * BLOCK);
    }

    @Test
    void aFailedWriteMakesTheBlockWantedAgain() {
        PiecePicker picker = picker("1", " ", 1);
        Block block = picker.pick(Bitfield.full(1), 1, NONE).getFirst();
        picker.claim(block);

        picker.onWriteFailed(block);

        assertThat(picker.pick(Bitfield.full(1), 1, NONE)).containsExactly(block);
    }

    @Test
    void cancelledRequestsGoBackToOtherPeers() {
        PiecePicker picker = picker("2", " ", 1);
        List<Block> a = picker.pick(Bitfield.full(1), 2, NONE);

        picker.onRequestsCancelled(a);   // a choked us

        assertThat(picker.isEndgame()).isFalse();
        assertThat(picker.pick(Bitfield.full(1), 2, NONE)).isEqualTo(a);
    }

    @Test
    void inEndgameACancelledBlockStaysAskedOfTheOtherPeer() {
        PiecePicker picker = picker("3", " ", 1);
        List<Block> a = picker.pick(Bitfield.full(1), 2, NONE);
        List<Block> b = picker.pick(Bitfield.full(1), 2, NONE);
        assertThat(b).as("endgame duplicates").isEqualTo(a);

        picker.onRequestsCancelled(a);
        assertThat(picker.isEndgame()).as("b still has them").isTrue();

        picker.onRequestsCancelled(b);
        assertThat(picker.isEndgame()).isFalse();
    }

    @Test
    void aCancelledRequestForABlockThatArrivedChangesNothing() {
        PiecePicker picker = picker("1", " ", 1);
        Block block = picker.pick(Bitfield.full(1), 1, NONE).getFirst();
        picker.claim(block);

        picker.onRequestsCancelled(List.of(block));

        assertThat(picker.claim(block)).isFalse();
        assertThat(picker.onBlockStored(block)).isFalse();
    }

    @Test
    void theLastPieceIsShorterAndSoIsItsBlock() {
        PiecePicker picker = new PiecePicker(new PieceGeometry(100 * 1024 + 5, 32 * 1024), new Random(1));
        picker.onBitfield(Bitfield.full(4));
        for (int piece = 0; piece < 3; piece++) {
            picker.onPieceVerified(piece);
        }
        assertThat(picker.bytesLeft()).isEqualTo(4101);
        assertThat((picker.have().pieceCount() - picker.have().cardinality())).isEqualTo(1);

        Block last = picker.pick(Bitfield.full(4), 5, NONE).getFirst();

        assertThat(last).isEqualTo(new Block(3, 0, 4101));
        assertThat(picker.claim(last)).isTrue();
        assertThat(picker.onBlockStored(last)).isTrue();
    }

    @Test
    void countsWhichPeersHaveWhat() {
        PiecePicker picker = picker("0000", "    ", 1);
        Bitfield peer = Bitfield.parse("** *");
        picker.onBitfield(peer);
        picker.onHave(2);
        peer.set(2);

        assertThat(availability(picker)).isEqualTo("1111");
        picker.onBitfield(Bitfield.parse(" *  "));
        assertThat(availability(picker)).isEqualTo("1211");

        picker.onPeerGone(peer);
        assertThat(availability(picker)).isEqualTo("0100");
    }

    @Test
    void aPeerIsInterestingWhenItHasAPieceWeLack() {
        PiecePicker picker = picker("1111", "* * ", 1);

        assertThat(picker.isInteresting(Bitfield.parse("* * "))).isFalse();
        assertThat(picker.isInteresting(Bitfield.parse("    "))).isFalse();
        assertThat(picker.isInteresting(Bitfield.parse("   *"))).isTrue();
    }

    @Test
    void theResumeCheckMarksPiecesWeHave() {
        PiecePicker picker = picker("1111", "*  *", 1);

        assertThat(picker.have()).isEqualTo(Bitfield.parse("*  *"));
        assertThat((picker.have().pieceCount() - picker.have().cardinality())).isEqualTo(2);
        assertThat(picker.bytesLeft()).isEqualTo(4L * BLOCK);
        assertThat(pieces(picker.pick(Bitfield.full(4), 10, NONE))).containsExactlyInAnyOrder(1, 2);
    }

    /**
     * A picker over pieces of two 16 KiB blocks, one per character of the pictures:
     * {@code availability} digits say how many peers have each piece, {@code have} marks the
     * pieces we have with '*'.
     */
    static PiecePicker picker(String availability, String have, long seed) {
        int pieces = availability.length();
        // Scrambled: java.util.Random's first outputs for seeds 0, 1, 2, ... are nearly alike.
        Random random = new Random(seed * 0x9E3779B97F4A7C15L);
        PiecePicker picker = new PiecePicker(new PieceGeometry(pieces * 2L * BLOCK, 2 * BLOCK), random);
        for (char level = '1'; level <= '9'; level++) {
            Bitfield peer = new Bitfield(pieces);
            for (int piece = 0; piece < pieces; piece++) {
                if (availability.charAt(piece) >= level) {
                    peer.set(piece);
                }
            }
            if (!peer.isEmpty()) {
                picker.onBitfield(peer);
            }
        }
        Bitfield ours = Bitfield.parse(have);
        for (int piece = ours.nextSetBit(0); piece >= 0; piece = ours.nextSetBit(piece + 1)) {
            picker.onPieceVerified(piece);
        }
        return picker;
    }

    private static String availability(PiecePicker picker) {
        StringBuilder picture = new StringBuilder();
        for (int piece = 0; piece < picker.geometry().pieceCount(); piece++) {
            picture.append(picker.availability(piece));
        }
        return picture.toString();
    }

    /** The pieces of {@code blocks}, each once, in order of first appearance. */
    private static List<Integer> pieces(List<Block> blocks) {
        return blocks.stream().map(Block::piece).distinct().toList();
    }

}
