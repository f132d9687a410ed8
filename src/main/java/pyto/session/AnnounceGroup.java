package pyto.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import pyto.concurrent.Scope;
import pyto.tracker.AnnounceRequest;
import pyto.tracker.Announcer;
import pyto.tracker.Tracker;
import pyto.tracker.TrackerStatus;
import pyto.tracker.Trackers;

/**
 * A torrent's trackers (BEP 12 announce-list): one {@link Announcer} per tier, each on its own
 * virtual thread in the torrent's scope, so a dead tracker never delays a live one. Made anew
 * for every run of the torrent, since each run starts with a {@code started} announce.
 */
final class AnnounceGroup {

    private static final System.Logger LOG = System.getLogger(AnnounceGroup.class.getName());

    private final List<Announcer> announcers = new ArrayList<>();

    AnnounceGroup(List<List<String>> tiers, Supplier<AnnounceRequest> source,
                  Consumer<List<InetSocketAddress>> peers, Consumer<InetAddress> externalIp,
                  Announcer.Config config, Random random) {
        for (List<String> urls : tiers) {
            List<Tracker> tier = new ArrayList<>();
            for (String url : urls) {
                Optional<Tracker> tracker = Trackers.forUrl(url);
                if (tracker.isPresent()) {
                    tier.add(tracker.get());
                } else {
                    LOG.log(System.Logger.Level.WARNING, "skipping tracker {0}: pyto does not speak its protocol", url);
                }
            }
            if (!tier.isEmpty()) {
                announcers.add(new Announcer(tier, source, peers, externalIp, config, random));
            }
        }
    }

    void start(Scope scope) {
        for (int i = 0; i < announcers.size(); i++) {
            scope.fork("announce tier " + (i + 1), announcers.get(i));
        }
    }

    /** The download completed: each tier tells its tracker, once. */
    void completed() {
        announcers.forEach(Announcer::completed);
    }

    /** We are short of peers: ask the trackers early (each announcer applies its tracker's minimum interval). */
    void announceSoon() {
        announcers.forEach(Announcer::announceSoon);
    }

    boolean isEmpty() {
        return announcers.isEmpty();
    }

    List<TrackerStatus> status() {
        List<TrackerStatus> all = new ArrayList<>();
        announcers.forEach(a -> all.add(a.status()));
        return Collections.unmodifiableList(all);
    }
}
