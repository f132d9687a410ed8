package pyto.dht;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import pyto.dht.Bucket.Entry;
import pyto.dht.Bucket.State;

/**
 * The routing table of BEP 5: the nodes we know, more of them the closer their ids are to ours.
 *
 * <p>Bucket {@code i} holds nodes whose ids share exactly {@code i} leading bits with ours; the
 * last bucket holds the rest, ours among them. Buckets hold {@value Bucket#SIZE} nodes; when
 * the last one is full it splits, so the table reaches deep only around our own id. A full
 * bucket keeps up to {@value Bucket#REPLACEMENTS} newcomers in a replacement cache, which fill the
 * places of nodes that go bad.
 *
 * <p>A node enters only after it answered one of our queries ({@link #onResponse}). It is good
 * while it answered within 15 minutes (or answered once and queried us within 15 minutes),
 * then questionable; it is bad after {@value Bucket#BAD_AFTER_FAILURES} queries in a row went
 * unanswered. One entry per IP on the Internet, per IP and port on local networks
 * ({@link Addresses#key}). Nodes whose id matches their IP by BEP 42 are preferred: one
 * replaces a node that does not in a full bucket.
 *
 * <p>Time comes from the clock given, so tests play out hours at once. Used by the reader
 * thread, lookups and the maintenance task; a lock guards it all.
 */
final class RoutingTable {

    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Bucket> buckets = new ArrayList<>();
    /** Every entry, in a bucket or a replacement cache, by id and by place. */
    private final Map<NodeId, Entry> byId = new HashMap<>();
    private final Map<Object, Entry> byPlace = new HashMap<>();
    private NodeId own;

    RoutingTable(NodeId own, InstantSource clock) {
        this.own = own;
        this.clock = clock;
        buckets.add(new Bucket(clock.instant()));
    }

    NodeId ownId() {
        return locked(() -> own);
    }

    /**
     * A node answered one of our queries: refresh it, or try to add it.
     *
     * @param verified whether its id passes BEP 42 for its IP
     * @return whether it is now in a bucket (false: in a replacement cache, or refused)
     */
    boolean onResponse(Contact contact, boolean verified) {
        Instant now = clock.instant();
        lock.lock();
        try {
            if (contact.id().equals(own)) {
                return false;
            }
            Entry known = byId.get(contact.id());
            if (known != null) {
                if (!known.contact.address().equals(contact.address())) {
                    return false; // our id's owner moved, or someone claims its id: keep the one we know
                }
                known.lastResponse = now;
                known.failures = 0;
                Bucket b = bucketOf(contact.id());
                b.lastChanged = now;
                return b.entries.contains(known) || promote(b, known);
            }
            Entry samePlace = byPlace.get(Addresses.key(contact.address()));
            if (samePlace != null) {
                // the same address with a new id is a restart; another port of one Internet host is not welcome
                if (!samePlace.contact.address().equals(contact.address()) && samePlace.state(now) != State.BAD) {
                    return false;
                }
                remove(samePlace);
            }
            return insert(new Entry(contact, verified, now), now);
        } finally {
            lock.unlock();
        }
    }

    /** A node we know sent us a query: it counts as alive (BEP 5's second way to stay good). */
    void onQuery(Contact contact) {
        Instant now = clock.instant();
        locked(() -> {
            Entry known = byId.get(contact.id());
            if (known != null && known.contact.address().equals(contact.address())) {
                known.lastQuery = now;
            }
            return null;
        });
    }

    /** A query to {@code address} went unanswered; a node that turns bad makes way for a replacement. */
    void onFailure(InetSocketAddress address) {
        lock.lock();
        try {
            Entry e = byPlace.get(Addresses.key(address));
            if (e == null || !e.contact.address().equals(address)) {
                return;
            }
            e.failures++;
            Bucket b = bucketOf(e.contact.id());
            if (b.replacements.remove(e)) {
                forget(e); // a replacement that fails is not worth keeping
            } else if (e.state(clock.instant()) == State.BAD && !b.replacements.isEmpty()) {
                b.entries.remove(e);
                forget(e);
                b.entries.add(b.replacements.removeLast());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a ping to this node, which queried us, would be worth it: we do not know it and
     * its bucket has room, or can split, or holds a bad node (or, for a BEP 42 node, one that is not).
     */
    boolean wants(Contact contact, boolean verified) {
        Instant now = clock.instant();
        lock.lock();
        try {
            if (contact.id().equals(own) || byId.containsKey(contact.id())
                    || byPlace.containsKey(Addresses.key(contact.address()))) {
                return false;
            }
            int index = indexOf(contact.id());
            Bucket b = buckets.get(index);
            return !b.isFull() || canSplit(index)
                    || b.entries.stream().anyMatch(e -> e.state(now) == State.BAD || (verified && !e.verified));
        } finally {
            lock.unlock();
        }
    }

    boolean contains(InetSocketAddress address) {
        return locked(() -> {
            Entry e = byPlace.get(Addresses.key(address));
            return e != null && e.contact.address().equals(address);
        });
    }

    /** Up to {@code count} nodes that are not bad, closest to {@code target} first. */
    List<Contact> closest(NodeId target, int count) {
        Instant now = clock.instant();
        Comparator<NodeId> byDistance = target.byDistance();
        lock.lock();
        try {
            List<Contact> all = new ArrayList<>();
            for (Bucket b : buckets) {
                for (Entry e : b.entries) {
                    if (e.state(now) != State.BAD) {
                        all.add(e.contact);
                    }
                }
            }
            all.sort(Comparator.comparing(Contact::id, byDistance));
            return List.copyOf(all.subList(0, Math.min(count, all.size())));
        } finally {
            lock.unlock();
        }
    }

    /** Questionable nodes not pinged within {@code pingedWithin}, least recently heard first; marks them pinged. */
    List<Contact> toPing(Duration pingedWithin, int max) {
        Instant now = clock.instant();
        lock.lock();
        try {
            List<Entry> due = new ArrayList<>();
            for (Bucket b : buckets) {
                for (Entry e : b.entries) {
                    if (e.state(now) == State.QUESTIONABLE && (e.lastPinged == null || !now.isBefore(e.lastPinged.plus(pingedWithin)))) {
                        due.add(e);
                    }
                }
            }
            due.sort(Comparator.comparing((Entry e) -> e.lastResponse));
            List<Contact> picked = new ArrayList<>();
            for (Entry e : due.subList(0, Math.min(max, due.size()))) {
                e.lastPinged = now;
                picked.add(e.contact);
            }
            return picked;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Targets for refreshing buckets nothing happened in for {@code staleAfter}: a random id in
     * each such bucket, whose lookup will meet that bucket's part of the network. Marks them
     * refreshed. An empty table has nothing to refresh: that is bootstrap's job.
     */
    List<NodeId> refreshTargets(Duration staleAfter, Random random) {
        Instant now = clock.instant();
        lock.lock();
        try {
            List<NodeId> targets = new ArrayList<>();
            if (byId.isEmpty()) {
                return targets;
            }
            for (int i = 0; i < buckets.size(); i++) {
                Bucket b = buckets.get(i);
                if (!now.isBefore(b.lastChanged.plus(staleAfter))) {
                    b.lastChanged = now;
                    targets.add(own.randomWithPrefix(i, random));
                }
            }
            return targets;
        } finally {
            lock.unlock();
        }
    }

    /** The nodes worth saving for the next start: those that are not bad. */
    List<Contact> liveContacts() {
        return closest(ownId(), Integer.MAX_VALUE);
    }

    /**
     * Takes a new id of ours (BEP 42, once our public IP is known): the buckets are laid out
     * around our id, so every node is placed again, the ones in buckets first.
     */
    void changeId(NodeId newId) {
        lock.lock();
        try {
            List<Entry> entries = new ArrayList<>();
            List<Entry> spare = new ArrayList<>();
            for (Bucket b : buckets) {
                entries.addAll(b.entries);
                spare.addAll(b.replacements);
            }
            entries.addAll(spare);
            Instant now = clock.instant();
            own = newId;
            buckets.clear();
            buckets.add(new Bucket(now));
            byId.clear();
            byPlace.clear();
            for (Entry e : entries) {
                if (!e.contact.id().equals(newId)) {
                    insert(e, now);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- counts, for status lines and tests ----------------------------------------------------

    int size() {
        return count(false);
    }

    int goodCount() {
        return count(true);
    }

    int bucketCount() {
        return locked(buckets::size);
    }

    List<Contact> bucket(int index) {
        return locked(() -> buckets.get(index).entries.stream().map(e -> e.contact).toList());
    }

    List<Contact> replacements(int index) {
        return locked(() -> buckets.get(index).replacements.stream().map(e -> e.contact).toList());
    }

    Optional<State> state(NodeId id) {
        return locked(() -> Optional.ofNullable(byId.get(id)).map(e -> e.state(clock.instant())));
    }

    private int count(boolean goodOnly) {
        Instant now = clock.instant();
        return locked(() -> (int) buckets.stream().flatMap(b -> b.entries.stream())
                .filter(e -> !goodOnly || e.state(now) == State.GOOD).count());
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    // ---- inside the lock ----------------------------------------------------------------------

    private int indexOf(NodeId id) {
        return Math.min(own.sharedPrefixBits(id), buckets.size() - 1);
    }

    private Bucket bucketOf(NodeId id) {
        return buckets.get(indexOf(id));
    }

    private boolean canSplit(int index) {
        return index == buckets.size() - 1 && buckets.size() < NodeId.BITS;
    }

    private boolean insert(Entry entry, Instant now) {
        while (true) {
            int index = indexOf(entry.contact.id());
            Bucket b = buckets.get(index);
            if (!b.isFull()) {
                place(b.entries, entry, b, now);
                return true;
            }
            if (canSplit(index)) {
                split(now);
                continue;
            }
            Optional<Entry> victim = b.victimFor(entry, now);
            if (victim.isPresent()) {
                b.entries.remove(victim.get());
                forget(victim.get());
                if (victim.get().state(now) != State.BAD) {
                    addReplacement(b, victim.get());
                }
                place(b.entries, entry, b, now);
                return true;
            }
            addReplacement(b, entry);
            return false;
        }
    }

    /** A replacement that answered again takes a free place in its bucket, if there is one. */
    private boolean promote(Bucket b, Entry e) {
        if (b.isFull()) {
            return false;
        }
        b.replacements.remove(e);
        b.entries.add(e);
        return true;
    }

    private void place(List<Entry> list, Entry entry, Bucket b, Instant now) {
        list.add(entry);
        byId.put(entry.contact.id(), entry);
        byPlace.put(Addresses.key(entry.contact.address()), entry);
        b.lastChanged = now;
    }

    private void addReplacement(Bucket b, Entry entry) {
        b.addReplacement(entry).ifPresent(this::forget);
        byId.put(entry.contact.id(), entry);
        byPlace.put(Addresses.key(entry.contact.address()), entry);
    }

    /** Moves the nodes that share more bits with our id than the last bucket's depth into a new last bucket. */
    private void split(Instant now) {
        int depth = buckets.size() - 1;
        Bucket old = buckets.get(depth);
        Bucket deeper = new Bucket(now);
        buckets.add(deeper);
        for (List<Entry> from : List.of(old.entries, old.replacements)) {
            List<Entry> to = from == old.entries ? deeper.entries : deeper.replacements;
            for (int i = from.size() - 1; i >= 0; i--) {
                if (own.sharedPrefixBits(from.get(i).contact.id()) > depth) {
                    to.addFirst(from.remove(i));
                }
            }
        }
        old.fillFromReplacements(); // either side may now have room its replacements can fill
        deeper.fillFromReplacements();
    }

    private void remove(Entry e) {
        Bucket b = bucketOf(e.contact.id());
        b.entries.remove(e);
        b.replacements.remove(e);
        forget(e);
    }

    private void forget(Entry e) {
        byId.remove(e.contact.id());
        byPlace.remove(Addresses.key(e.contact.address()));
    }
}
