package tansu.raft.internal;

import java.util.Objects;

import tansu.api.storage.HardState;

/**
 * Decides which hard state goes to disk with each append. A new term or vote is stored with the append
 * that follows it, before anything is sent, as Raft requires. A commit index that alone moved need not be
 * stored at all for safety (a restarted node learns it again from the leader); it is stored at most once
 * per interval, so that under load the row is not rewritten on every fsync, and a restarted node still
 * applies nearly as far as it had before asking anyone.
 *
 * <p>Pure bookkeeping, times in nanoseconds as given; used from the driver thread only.
 */
final class HardStatePacing {

    private final long intervalNanos;
    private HardState stored;
    private long storedAt;
    /** The latest hard state not yet on disk: only its commit index differs from {@link #stored}. */
    private HardState pending;

    /**
     * @param stored the hard state on disk when the node starts
     * @param now    when that was
     */
    HardStatePacing(long intervalNanos, HardState stored, long now) {
        this.intervalNanos = intervalNanos;
        this.stored = Objects.requireNonNull(stored);
        this.storedAt = now;
    }

    /**
     * What to store with the append of a ready batch that must be synced.
     *
     * @param latest the batch's hard state, {@code null} where it did not change
     * @return the hard state to store with the append, {@code null} for none
     */
    HardState forAppend(HardState latest, long now) {
        HardState candidate = latest != null ? latest : pending;
        if (candidate == null) {
            return null;
        }
        if (onlyCommitMoved(candidate) && now - storedAt < intervalNanos) {
            pending = candidate;
            return null;
        }
        return store(candidate, now);
    }

    /** A batch whose hard state changed only in its commit index, with nothing to sync. */
    void commitMoved(HardState latest) {
        pending = latest;
    }

    /** The hard state to store on its own now (no append coming), {@code null} if none is due. */
    HardState due(long now) {
        return pending != null && now - storedAt >= intervalNanos ? store(pending, now) : null;
    }

    /** The hard state not yet stored, to write before the node stops; {@code null} if none. */
    HardState unstored() {
        return pending;
    }

    private boolean onlyCommitMoved(HardState candidate) {
        return candidate.term() == stored.term() && Objects.equals(candidate.vote(), stored.vote());
    }

    private HardState store(HardState hardState, long now) {
        stored = hardState;
        storedAt = now;
        pending = null;
        return hardState;
    }
}
