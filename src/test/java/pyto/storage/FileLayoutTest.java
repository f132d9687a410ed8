package pyto.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import pyto.metainfo.FileEntry;

class FileLayoutTest {

    private static FileEntry file(String name, long length, long offset) {
        return new FileEntry(List.of(name), length, offset, false);
    }

    private static FileLayout.Segment seg(int file, long fileOffset, int length, int rangeOffset) {
        return new FileLayout.Segment(file, fileOffset, length, rangeOffset, false);
    }

    @Test
    void singleFileMapsStraightThrough() {
        FileLayout layout = new FileLayout(List.of(file("a", 100, 0)));

        assertThat(layout.segments(10, 20)).containsExactly(seg(0, 10, 20, 0));
        assertThat(layout.segments(0, 100)).containsExactly(seg(0, 0, 100, 0));
        assertThat(layout.totalLength()).isEqualTo(100);
    }

    @Test
    void aRangeSpanningThreeFilesIsCutAtTheirBoundaries() {
        FileLayout layout = new FileLayout(List.of(file("a", 10, 0), file("b", 5, 10), file("c", 10, 15)));

        assertThat(layout.segments(7, 12)).containsExactly(
                seg(0, 7, 3, 0),
                seg(1, 0, 5, 3),
                seg(2, 0, 4, 8));
    }

    @Test
    void rangesStartingExactlyOnAFileBoundaryBeginInThatFile() {
        FileLayout layout = new FileLayout(List.of(file("a", 10, 0), file("b", 5, 10)));

        assertThat(layout.segments(10, 5)).containsExactly(seg(1, 0, 5, 0));
        assertThat(layout.segments(9, 1)).containsExactly(seg(0, 9, 1, 0));
    }

    @Test
    void zeroLengthFilesAreNeverTouched() {
        FileLayout layout = new FileLayout(List.of(
                file("empty0", 0, 0), file("a", 4, 0), file("empty1", 0, 4), file("empty2", 0, 4),
                file("b", 4, 4), file("empty3", 0, 8)));

        assertThat(layout.segments(0, 8)).containsExactly(seg(1, 0, 4, 0), seg(4, 0, 4, 4));
        assertThat(layout.segments(4, 4)).containsExactly(seg(4, 0, 4, 0));
        assertThat(layout.segments(4, 0)).isEmpty();
    }

    @Test
    void padFilesAreMarked() {
        FileLayout layout = new FileLayout(List.of(
                file("a", 3, 0), new FileEntry(List.of(".pad", "5"), 5, 3, true), file("b", 8, 8)));

        assertThat(layout.segments(0, 16)).containsExactly(
                seg(0, 0, 3, 0),
                new FileLayout.Segment(1, 0, 5, 3, true),
                seg(2, 0, 8, 8));
    }

    @Test
    void offsetsBeyondFourGibibytesStayExact() {
        long big = 5L << 30;
        FileLayout layout = new FileLayout(List.of(file("small", 100, 0), file("big", big, 100), file("tail", 7, 100 + big)));

        assertThat(layout.segments(100 + (4L << 30) + 3, 16)).containsExactly(seg(1, (4L << 30) + 3, 16, 0));
        assertThat(layout.segments(100 + big - 2, 4)).containsExactly(seg(1, big - 2, 2, 0), seg(2, 0, 2, 2));
    }

    @Test
    void rangesOutsideTheTorrentAreRefused() {
        FileLayout layout = new FileLayout(List.of(file("a", 10, 0)));

        assertThatThrownBy(() -> layout.segments(5, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.segments(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesThatDoNotFollowEachOtherAreRefused() {
        assertThatThrownBy(() -> new FileLayout(List.of(file("a", 10, 0), file("b", 10, 11))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected offset 10");
    }
}
