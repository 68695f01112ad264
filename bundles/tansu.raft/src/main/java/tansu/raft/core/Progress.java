package tansu.raft.core;

import java.util.ArrayDeque;

/**
 * What a leader knows of one follower's log, and how it sends to it (etcd's tracker/progress.go):
 * PROBE sends one append at a time until the follower's log is found to match; REPLICATE sends
 * optimistically, up to a window of appends in flight; SNAPSHOT waits for a snapshot to arrive.
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    long match;
    long next;
    State state = State.PROBE;
    /** PROBE: an append is out and unanswered; nothing more until a response or a heartbeat. */
    boolean probeSent;
    /** Heard from since the last check-quorum round. */
    boolean recentActive;
    /** The leader's tick count when it last heard from this follower. */
    long lastHeard;
    /** SNAPSHOT: the index of the snapshot being sent, and how much of it the follower acknowledged. */
    long pendingSnapshot;
    long snapshotOffset;
    /** SNAPSHOT: the leader's tick count when it last sent a chunk; one chunk is in flight at a time. */
    long snapshotSentAt;
    /** The match index at the previous heartbeat response: no movement since means appends were lost. */
    long matchAtHeartbeat;
    /** The last index of each append in flight, oldest first. */
    private final ArrayDeque<Long> inflight = new ArrayDeque<>();

    Progress(long next) {
        this.next = next;
    }

    boolean isPaused(int maxInflight) {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflight.size() >= maxInflight;
            case SNAPSHOT -> true;
        };
    }

    /** An accepted append up to {@code index}; answers whether that was news. */
    boolean maybeUpdate(long index) {
        boolean updated = index > match;
        if (updated) {
            match = index;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * A rejected append at {@code rejected}; answers whether it was about the latest one sent (an old
     * rejection after a newer success is stale and ignored).
     */
    boolean maybeDecrTo(long rejected, long hint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, hint + 1), match + 1);
        probeSent = false;
        return true;
    }

    void sent(long lastIndex, boolean withEntries) {
        if (state == State.REPLICATE) {
            if (withEntries) {
                next = lastIndex + 1;
                inflight.addLast(lastIndex);
            }
        } else if (state == State.PROBE) {
            probeSent = true;
        }
    }

    /** Appends up to {@code index} arrived. */
    void freeInflightTo(long index) {
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.removeFirst();
        }
    }

    void becomeProbe() {
        next = state == State.SNAPSHOT ? Math.max(match + 1, pendingSnapshot + 1) : match + 1;
        state = State.PROBE;
        probeSent = false;
        pendingSnapshot = 0;
        inflight.clear();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        pendingSnapshot = 0;
        next = match + 1;
        probeSent = false;
        inflight.clear();
    }

    void becomeSnapshot(long index) {
        state = State.SNAPSHOT;
        pendingSnapshot = index;
        snapshotOffset = 0;
        inflight.clear();
    }

    /**
     * A heartbeat answered: a full window that has not moved since the last one was lost on the way
     * (messages are dropped silently), so probe again.
     */
    void heartbeatAnswered(int maxInflight) {
        if (state == State.REPLICATE && inflight.size() >= maxInflight && match == matchAtHeartbeat) {
            becomeProbe();
        }
        matchAtHeartbeat = match;
        probeSent = false;
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next;
    }
}
