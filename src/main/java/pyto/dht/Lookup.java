package pyto.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import pyto.bencode.BString;
import pyto.dht.KrpcMessage.Query;
import pyto.dht.Transactions.Answered;
import pyto.dht.Transactions.Failed;
import pyto.dht.Transactions.Outcome;
import pyto.dht.Transactions.TimedOut;

/**
 * One iterative lookup (BEP 5, Kademlia): find the nodes closest to a target, and with
 * get_peers the peers they store on the way.
 *
 * <p>It keeps the candidates met so far sorted by distance to the target, and asks the closest
 * ones not yet asked, a few at a time ({@code parallelism}). Each answer brings nodes closer
 * still, which become candidates; a node that does not answer in time is passed over and the
 * next one asked. It ends when the {@value Bucket#SIZE} closest candidates left have all
 * answered, or nothing is left to ask, or it has sent {@code lookupMaxQueries} queries or run
 * {@code lookupMaxTime}: a node that answers with itself, with far nodes, with junk or with
 * nodes that do not exist cannot make it run longer than that.
 *
 * <p>Runs on the caller's thread, which blocks on a queue of answers the reader thread fills:
 * interrupting the caller ends the lookup at once (the queries still out simply time out).
 */
final class Lookup {

    /** How a lookup sends a query; the node implements it. */
    interface Network {
        /**
         * Sends the query {@code message} builds for its transaction id to {@code to}; how it ends
         * arrives later through {@code onOutcome}, on another thread.
         *
         * @return false when it could not be sent (the node is closing, or too busy)
         */
        boolean query(InetSocketAddress to, Function<BString, Query> message, Consumer<Outcome> onOutcome);
    }

    private enum Status { FRESH, ASKED, ANSWERED, FAILED }

    private static final class Candidate {
        final Contact contact;
        Status status = Status.FRESH;
        BString token;

        Candidate(Contact contact) {
            this.contact = contact;
        }
    }

    private record Event(Candidate candidate, Outcome outcome) {
    }

    /** Candidates kept at most: the closest; the farther ones could never matter. */
    private static final int MAX_CANDIDATES = 8 * Bucket.SIZE;
    /** Peers collected at most; a busy torrent has more, and more than this is no use to one lookup. */
    private static final int MAX_PEERS = 2000;

    private final NodeId target;
    private final NodeId own;
    private final Function<BString, Query> query;
    private final Network network;
    private final DhtLimits limits;
    private final LookupObserver observer;
    private final TreeMap<NodeId, Candidate> candidates;
    private final Set<Object> seen = new HashSet<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private int inFlight;
    private int queries;
    private int answers;

    /**
     * @param query builds the query for a transaction id: find_node or get_peers for the target
     */
    Lookup(NodeId target, NodeId own, Function<BString, Query> query, Network network, DhtLimits limits,
           LookupObserver observer) {
        this.target = target;
        this.own = own;
        this.query = query;
        this.network = network;
        this.limits = limits;
        this.observer = observer;
        this.candidates = new TreeMap<>(target.byDistance());
    }

    /** Runs the lookup from {@code seeds} (the closest nodes of our routing table) to its end. */
    LookupResult run(List<Contact> seeds) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limits.lookupMaxTime().toNanos();
        seeds.forEach(this::offer);
        while (true) {
            askWhatWeMay();
            if (isDone()) {
                break;
            }
            long left = deadline - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                break; // out of time
            }
            handle(event);
        }
        List<Contact> closest = new ArrayList<>();
        Map<Contact, BString> tokens = new HashMap<>();
        for (Candidate c : candidates.values()) {
            if (c.status == Status.ANSWERED && closest.size() < Bucket.SIZE) {
                closest.add(c.contact);
                if (c.token != null) {
                    tokens.put(c.contact, c.token);
                }
            }
        }
        return new LookupResult(target, closest, tokens, List.copyOf(peers), queries, answers,
                Duration.ofNanos(System.nanoTime() - start), 0);
    }

    /** The closest candidates that have not failed, up to a bucket's worth: where the lookup is headed. */
    private List<Candidate> frontier() {
        List<Candidate> frontier = new ArrayList<>(Bucket.SIZE);
        for (Candidate c : candidates.values()) {
            if (c.status != Status.FAILED) {
                frontier.add(c);
                if (frontier.size() == Bucket.SIZE) {
                    break;
                }
            }
        }
        return frontier;
    }

    /** Asks the closest fresh candidates while the limits allow; one that cannot be sent lets the next in. */
    private void askWhatWeMay() {
        while (inFlight < limits.parallelism() && queries < limits.lookupMaxQueries()) {
            Candidate next = frontier().stream().filter(c -> c.status == Status.FRESH).findFirst().orElse(null);
            if (next == null) {
                return;
            }
            ask(next);
        }
    }

    /** Done when the frontier has all answered, or nothing is in flight and nothing more will be asked. */
    private boolean isDone() {
        List<Candidate> frontier = frontier();
        if (frontier.stream().allMatch(c -> c.status == Status.ANSWERED)) {
            return true;
        }
        return inFlight == 0; // askWhatWeMay asked nobody: no one fresh in the frontier, or out of queries
    }

    private void ask(Candidate c) {
        queries++;
        boolean sent = network.query(c.contact.address(), query, outcome -> events.add(new Event(c, outcome)));
        if (sent) {
            c.status = Status.ASKED;
            inFlight++;
            observer.asked(c.contact);
        } else {
            c.status = Status.FAILED;
            observer.failed(c.contact, "could not be sent");
        }
    }

    private void handle(Event event) {
        inFlight--;
        Candidate c = event.candidate();
        switch (event.outcome()) {
            case Answered(KrpcMessage.Response r) -> {
                if (!r.sender().equals(c.contact.id())) {
                    c.status = Status.FAILED; // not the node we were told of: its word is worth nothing here
                    observer.failed(c.contact, "answered as " + r.sender().shortHex());
                    return;
                }
                c.status = Status.ANSWERED;
                c.token = r.token().orElse(null);
                answers++;
                observer.answered(c.contact, r);
                for (InetSocketAddress peer : r.values()) {
                    if (Addresses.isUsable(peer) && peers.size() < MAX_PEERS && peers.add(peer)) {
                        observer.peer(peer);
                    }
                }
                r.nodes().forEach(this::offer);
            }
            case Failed(KrpcMessage.Error e) -> {
                c.status = Status.FAILED;
                observer.failed(c.contact, e.toString());
            }
            case TimedOut t -> {
                c.status = Status.FAILED;
                observer.failed(c.contact, "no answer");
            }
        }
    }

    /** A node we were told of becomes a candidate, unless it is us, unusable, or already met. */
    private void offer(Contact contact) {
        if (contact.id().equals(own) || !Addresses.isUsable(contact.address())
                || candidates.containsKey(contact.id()) || !seen.add(Addresses.key(contact.address()))) {
            return;
        }
        candidates.put(contact.id(), new Candidate(contact));
        if (candidates.size() > MAX_CANDIDATES) {
            // drop the farthest that is not awaited (an awaited one must stay to be counted when it ends)
            for (NodeId id : candidates.descendingKeySet()) {
                if (candidates.get(id).status != Status.ASKED) {
                    candidates.remove(id);
                    break;
                }
            }
        }
    }
}
