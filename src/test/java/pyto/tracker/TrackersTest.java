package pyto.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackersTest {

    @Test
    void httpAndHttpsMakeHttpTrackers() {
        assertThat(Trackers.forUrl("http://t.example:6969/announce")).get()
                .isInstanceOf(HttpTracker.class).extracting(Tracker::url).isEqualTo("http://t.example:6969/announce");
        assertThat(Trackers.forUrl("HTTPS://t.example/announce?passkey=x")).get().isInstanceOf(HttpTracker.class);
    }

    @Test
    void udpMakesUdpTrackersWhenThereIsAPort() {
        assertThat(Trackers.forUrl("udp://tracker.example:6969/announce")).get()
                .isInstanceOf(UdpTracker.class).extracting(Tracker::url).isEqualTo("udp://tracker.example:6969/announce");
        assertThat(Trackers.forUrl("UDP://[2001:db8::1]:80")).get().isInstanceOf(UdpTracker.class);
        assertThat(Trackers.forUrl("udp://tracker.example/announce")).as("BEP 15 has no default port").isEmpty();
    }

    @Test
    void whatWeCannotAnnounceToGivesEmpty() {
        assertThat(Trackers.forUrl("wss://t.example/announce")).isEmpty();
        assertThat(Trackers.forUrl("dht://whatever")).isEmpty();
        assertThat(Trackers.forUrl("http:///announce")).isEmpty();
        assertThat(Trackers.forUrl("not a url")).isEmpty();
        assertThat(Trackers.forUrl("")).isEmpty();
    }

    @Test
    void aFragmentIsNotPartOfTheTrackerUrl() {
        assertThat(Trackers.forUrl("http://t.example/announce#x")).get().extracting(Tracker::url).isEqualTo("http://t.example/announce");
    }
}
