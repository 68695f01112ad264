package tansu.lock.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a leader may expire each session: a whole lease after it last saw the session's renewal count
 * change, or after it first saw the session, or after it became leader, whichever is latest. It
 * learns only from what it is shown of the state, so it cannot see a session before the entry that
 * made it was applied; seeing it later only makes the expiry later, which is safe. Pure: the caller
 * brings the time; one thread uses it.
 */
final class LeaseClock {

    /** A session the leader may expire, with the renewal count the expiry is valid for. */
    record Due(String session, long renewals, long sinceNanos) {
    }

    private record Seen(long renewals, long atNanos) {
    }

    private final long leaseNanos;
    private final Map<String, Seen> seen = new HashMap<>();

    LeaseClock(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /**
     * The sessions of {@code renewals} (session to renewal count, as applied) not renewed for a lease
     * by {@code now}, counted from {@code leaderSince} at the earliest.
     */
    List<Due> due(Map<String, Long> renewals, long leaderSince, long now) {
        seen.keySet().retainAll(renewals.keySet());
        List<Due> due = new ArrayList<>();
        for (Map.Entry<String, Long> session : renewals.entrySet()) {
            Seen last = seen.get(session.getKey());
            if (last == null || last.renewals() != session.getValue()) {
                seen.put(session.getKey(), new Seen(session.getValue(), now));
                continue;
            }
            long since = Math.max(last.atNanos(), leaderSince);
            if (now - since > leaseNanos) {
                due.add(new Due(session.getKey(), last.renewals(), now - since));
            }
        }
        return due;
    }
}
