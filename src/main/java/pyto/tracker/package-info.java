/**
 * Trackers: how a torrent finds its peers (BEP 3), and a small tracker of our own.
 *
 * <p>The client side, in reading order: {@link pyto.tracker.Tracker} is one tracker URL, made by
 * {@link pyto.tracker.Trackers#forUrl}; {@link pyto.tracker.HttpTracker} speaks HTTP to it
 * through {@link pyto.tracker.HttpGet}, {@link pyto.tracker.UdpTracker} speaks BEP 15 through
 * {@link pyto.tracker.UdpExchange} (resends on a schedule) with the layouts of
 * {@link pyto.tracker.UdpPackets}; {@link pyto.tracker.Announcer} keeps one tier (BEP 12)
 * informed for one run of a torrent (start or resume to pause or stop) on its own virtual thread and publishes a
 * {@link pyto.tracker.TrackerStatus}.
 *
 * <p>The server side: {@link pyto.tracker.TrackerServer} accepts connections,
 * {@link pyto.tracker.TrackerEndpoints} answers {@code /announce} and {@code /scrape}, and
 * {@link pyto.tracker.SwarmRegistry} remembers the swarms. Its UDP side,
 * {@link pyto.tracker.UdpTrackerServer}, reads datagrams that {@link pyto.tracker.UdpEndpoints}
 * answers from the same registry, with connection ids from {@link pyto.tracker.ConnectionIds}.
 */
package pyto.tracker;
