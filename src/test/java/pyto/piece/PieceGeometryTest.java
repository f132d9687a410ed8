package pyto.piece;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PieceGeometryTest {

    /** 100 KiB + 5 bytes in 32 KiB pieces: three whole pieces and one of 4101 bytes. */
    private final PieceGeometry geometry = new PieceGeometry(100 * 1024 + 5, 32 * 1024);

    @Test
    void theLastPieceIsOneShortBlock() {
        assertThat(geometry.pieceCount()).isEqualTo(4);
        assertThat(geometry.blocks(0)).containsExactly(new Block(0, 0, 16384), new Block(0, 16384, 16384));
        assertThat(geometry.blocks(3)).containsExactly(new Block(3, 0, 4101));
    }

    @Test
    void theLastBlockOfALongerLastPieceIsShort() {
        PieceGeometry wide = new PieceGeometry(100 * 1024 + 5, 64 * 1024);

        assertThat(wide.blocks(1)).containsExactly(
                new Block(1, 0, 16384), new Block(1, 16384, 16384), new Block(1, 32768, 4101));
        assertThat(wide.block(1, 2).index()).isEqualTo(2);
    }

    @Test
    void onlyOurOwnBlocksAreBlocks() {
        assertThat(geometry.isBlock(new Block(3, 0, 4101))).isTrue();
        assertThat(geometry.isBlock(new Block(0, 16384, 16384))).isTrue();
        assertThat(geometry.isBlock(new Block(3, 0, 4100))).isFalse();
        assertThat(geometry.isBlock(new Block(0, 100, 16384))).isFalse();
        assertThat(geometry.isBlock(new Block(0, 32768, 16384))).isFalse();
        assertThat(geometry.isBlock(new Block(4, 0, 16384))).isFalse();
        assertThat(geometry.isBlock(new Block(-1, 0, 16384))).isFalse();
    }
}
