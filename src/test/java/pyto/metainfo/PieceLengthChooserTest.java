package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PieceLengthChooserTest {

    private static final long KiB = 1024;
    private static final long MiB = 1024 * KiB;
    private static final long GiB = 1024 * MiB;

    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({
        "1, 16384",
        "32768000, 16384",          // exactly 2,000 pieces of 16 KiB
        "32768001, 32768",          // one byte more: 2,001 would be too many
        "1073741824, 1048576",      // 1 GiB: 1,024 pieces of 1 MiB (2,048 of 512 KiB is too many)
        "4700000000, 4194304",      // a DVD image: 1,121 pieces of 4 MiB
        "33554432000, 16777216",    // 2,000 pieces of 16 MiB, the largest automatic piece
        "109951162777600, 16777216" // 100 TiB: capped at 16 MiB
    })
    void choosesTheSmallestPowerOfTwoGivingAtMost2000Pieces(long totalLength, int expected) {
        assertThat(PieceLengthChooser.choose(totalLength)).isEqualTo(expected);
    }

    @Test
    void givesBetween1000And2000PiecesBetweenTheBounds() {
        for (long size = 40 * MiB; size < 30 * GiB; size = size * 3 / 2 + 12345) {
            int pieceLength = PieceLengthChooser.choose(size);
            assertThat(Math.ceilDiv(size, pieceLength)).as("%d bytes in pieces of %d", size, pieceLength)
                    .isBetween(1000L, 2000L);
            assertThat(Integer.bitCount(pieceLength)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16384, 32768, 1 << 20, 1 << 29})
    void acceptsPowersOfTwoFrom16KiBTo512MiB(int pieceLength) {
        assertThat(PieceLengthChooser.checkGiven(pieceLength)).isEqualTo(pieceLength);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -16384, 1000, 8192, 3 * 16384, 1 << 30, Integer.MIN_VALUE})
    void refusesOtherPieceLengths(int pieceLength) {
        assertThatThrownBy(() -> PieceLengthChooser.checkGiven(pieceLength))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two").hasMessageEndingWith("not " + pieceLength);
    }
}
