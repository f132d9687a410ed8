package pyto.piece;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BitfieldTest {

    @Test
    void pieceZeroIsTheHighBitOfByteZero() {
        Bitfield bitfield = Bitfield.fromBytes(new byte[] {(byte) 0x80, 0x40}, 10);

        assertThat(bitfield).isEqualTo(Bitfield.parse("*........*"));
        assertThat(bitfield.get(0)).isTrue();
        assertThat(bitfield.get(9)).isTrue();
        assertThat(bitfield.cardinality()).isEqualTo(2);
    }

    @Test
    void survivesTheWireAcrossWordBoundaries() {
        Bitfield bitfield = new Bitfield(130);
        for (int piece : new int[] {0, 7, 8, 63, 64, 65, 127, 128, 129}) {
            bitfield.set(piece);
        }

        byte[] wire = bitfield.toBytes();

        assertThat(wire).hasSize(17);
        assertThat(wire[0]).isEqualTo((byte) 0x81);
        assertThat(wire[16]).isEqualTo((byte) 0xc0);
        assertThat(Bitfield.fromBytes(wire, 130)).isEqualTo(bitfield);
    }

    @Test
    void refusesTheWrongLengthAndSpareBits() {
        assertThatThrownBy(() -> Bitfield.fromBytes(new byte[3], 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a bitfield of 10 pieces is 2 bytes, not 3");
        assertThatThrownBy(() -> Bitfield.fromBytes(new byte[] {0, 0x20}, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bitfield has spare bits set after the last of 10 pieces");
    }

    @Test
    void isCompleteOnlyWhenEveryPieceIsSet() {
        Bitfield bitfield = Bitfield.full(70);
        assertThat(bitfield.isComplete()).isTrue();
        assertThat(bitfield.toBytes()[8]).isEqualTo((byte) 0xfc);

        bitfield.clear(69);
        assertThat(bitfield.isComplete()).isFalse();
        assertThat(bitfield.cardinality()).isEqualTo(69);
    }

    @Test
    void findsTheNextPiecePresent() {
        Bitfield bitfield = Bitfield.parse(" *" + " ".repeat(70) + "*");

        assertThat(bitfield.nextSetBit(0)).isEqualTo(1);
        assertThat(bitfield.nextSetBit(2)).isEqualTo(72);
        assertThat(bitfield.nextSetBit(73)).isEqualTo(-1);
        assertThat(new Bitfield(5).nextSetBit(0)).isEqualTo(-1);
    }

    @Test
    void aCopyIsIndependent() {
        Bitfield original = Bitfield.parse("* *");
        Bitfield copy = original.copy();
        copy.set(1);

        assertThat(original).hasToString("[*.*]");
        assertThat(copy).hasToString("[***]");
    }

    @Test
    void refusesPiecesOutsideIt() {
        assertThatThrownBy(() -> new Bitfield(8).set(8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Bitfield.parse("*x")).isInstanceOf(IllegalArgumentException.class);
    }
}
