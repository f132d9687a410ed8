package pyto.dht;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One bucket of the {@link RoutingTable} (BEP 5): up to {@value #SIZE} nodes, and a replacement
 * cache of up to {@value #REPLACEMENTS} more that answered while the bucket was full, the most
 * recent last. Holds no lock of its own: the table's lock guards it.
 */
final class Bucket {

    static final int SIZE = 8;
    static final int REPLACEMENTS = 8;
    static final int BAD_AFTER_FAILURES = 2;
    static final Duration GOOD_FOR = Duration.ofMinutes(15);

    /** BEP 5's three states of a node. */
    enum State { GOOD, QUESTIONABLE, BAD }

    /** One node we know. */
    static final class Entry {
        final Contact contact;
        final boolean verified;
        Instant lastResponse;
        Instant lastQuery;
        Instant lastPinged;
        int failures;

        Entry(Contact contact, boolean verified, Instant now) {
            this.contact = contact;
            this.verified = verified;
            this.lastResponse = now;
        }

        /**
         * Good: it answered us within 15 minutes, or answered us once and queried us within 15
         * minutes. Bad: it failed to answer several queries in a row. Otherwise questionable.
         */
        State state(Instant now) {
            if (failures >= BAD_AFTER_FAILURES) {
                return State.BAD;
            }
            Instant heard = lastQuery != null && lastQuery.isAfter(lastResponse) ? lastQuery : lastResponse;
            return now.isBefore(heard.plus(GOOD_FOR)) ? State.GOOD : State.QUESTIONABLE;
        }
    }

    final List<Entry> entries = new ArrayList<>();
    final List<Entry> replacements = new ArrayList<>();
    Instant lastChanged;

    Bucket(Instant now) {
        lastChanged = now;
    }

    boolean isFull() {
        return entries.size() >= SIZE;
    }

    /**
     * Which node a newcomer may push out of this full bucket: a bad one; else, for a newcomer
     * whose id BEP 42 verifies, the unverified node heard from least recently.
     */
    Optional<Entry> victimFor(Entry newcomer, Instant now) {
        Optional<Entry> bad = entries.stream().filter(e -> e.state(now) == State.BAD).findFirst();
        if (bad.isPresent() || !newcomer.verified) {
            return bad;
        }
        return entries.stream().filter(e -> !e.verified).min(Comparator.comparing((Entry e) -> e.lastResponse));
    }

    /** Adds to the replacement cache; returns the oldest replacement when it had to make room. */
    Optional<Entry> addReplacement(Entry entry) {
        Optional<Entry> dropped = replacements.size() >= REPLACEMENTS
                ? Optional.of(replacements.removeFirst()) : Optional.empty();
        replacements.add(entry);
        return dropped;
    }

    /** Fills free places from the replacement cache, the most recent first. */
    void fillFromReplacements() {
        while (!isFull() && !replacements.isEmpty()) {
            entries.add(replacements.removeLast());
        }
    }
}
