package pyto.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares two {@link Metainfo} field by field. AssertJ's recursive comparison would do, but it
 * walks byte arrays element by element: seconds for the 580 KB of piece hashes of a real torrent.
 */
final class SameTorrent {

    private SameTorrent() {
    }

    /**
     * Every field equal; {@code informational} includes what lies outside the info dictionary
     * besides trackers and web seeds: comment, created by, creation date, DHT nodes.
     */
    static void assertSameTorrent(Metainfo actual, Metainfo expected, boolean informational) {
        assertThat(actual.name()).isEqualTo(expected.name());
        assertThat(actual.pieceLength()).isEqualTo(expected.pieceLength());
        assertThat(actual.pieces().concatenated()).isEqualTo(expected.pieces().concatenated());
        assertThat(actual.files()).isEqualTo(expected.files());
        assertThat(actual.multiFile()).isEqualTo(expected.multiFile());
        assertThat(actual.totalLength()).isEqualTo(expected.totalLength());
        assertThat(actual.infoHash()).isEqualTo(expected.infoHash());
        assertThat(actual.infoBytes()).isEqualTo(expected.infoBytes());
        assertThat(actual.trackerTiers()).isEqualTo(expected.trackerTiers());
        assertThat(actual.isPrivate()).isEqualTo(expected.isPrivate());
        assertThat(actual.webSeeds()).isEqualTo(expected.webSeeds());
        if (informational) {
            assertThat(actual.dhtNodes()).isEqualTo(expected.dhtNodes());
            assertThat(actual.comment()).isEqualTo(expected.comment());
            assertThat(actual.createdBy()).isEqualTo(expected.createdBy());
            assertThat(actual.creationDate()).isEqualTo(expected.creationDate());
        }
    }
}
