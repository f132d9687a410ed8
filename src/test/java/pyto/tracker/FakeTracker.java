package pyto.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import pyto.metainfo.InfoHash;
import pyto.tracker.AnnounceRequest.Event;

/** A tracker for announcer tests: answers by script and logs every call with its (fake) time. */
final class FakeTracker implements Tracker {

    /** One announce as the tracker saw it; budget is null for a plain announce. */
    record Call(long second, String url, Event event, Duration budget) {
    }

    /** The answer to this tracker's n-th call (from 1); may throw, or call back into the announcer. */
    @FunctionalInterface
    interface Script {
        AnnounceResponse answer(int n, AnnounceRequest request) throws IOException;
    }

    private final String url;
    private final FakeTime time;
    private final List<Call> log;
    private final Script script;
    private int calls;

    FakeTracker(String url, FakeTime time, List<Call> log, Script script) {
        this.url = url;
        this.time = time;
        this.log = log;
        this.script = script;
    }

    static AnnounceResponse ok(long intervalSeconds, InetSocketAddress... peers) {
        return new AnnounceResponse(Duration.ofSeconds(intervalSeconds), Optional.empty(), Optional.empty(),
                OptionalInt.of(3), OptionalInt.of(4), List.of(peers), Optional.empty(), Optional.empty());
    }

    static AnnounceResponse ok(long intervalSeconds, long minIntervalSeconds, InetSocketAddress... peers) {
        return new AnnounceResponse(Duration.ofSeconds(intervalSeconds), Optional.of(Duration.ofSeconds(minIntervalSeconds)),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), List.of(peers), Optional.empty(), Optional.empty());
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws IOException {
        return answer(request, null);
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request, Duration budget) throws IOException {
        return answer(request, budget);
    }

    private AnnounceResponse answer(AnnounceRequest request, Duration budget) throws IOException {
        log.add(new Call(time == null ? -1 : time.seconds(), url, request.event(), budget));
        return script.answer(++calls, request);
    }

    @Override
    public ScrapeResponse scrape(InfoHash infoHash) throws IOException {
        throw new IOException("not scripted");
    }

    @Override
    public String url() {
        return url;
    }
}
