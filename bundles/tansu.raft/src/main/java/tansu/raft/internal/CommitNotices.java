package tansu.raft.internal;

import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

import tansu.raft.core.Message;

/**
 * When one peer's commit notices (appends without entries, sent as the commit index moves) leave. A
 * leader taking writes one after another otherwise sends each follower two messages per write, the
 * entry and then its commit, and each costs the follower a wake-up, a batch and an answer, and the
 * leader as much again: half the messages of a write. A notice waits up to
 * {@link #HOLD_NANOS}; the next write's append carries the same commit index and replaces it.
 *
 * <p>Where no write follows within that time (a writer waiting for what the followers' watchers
 * see, a lock handed to a client of a follower) waiting only delays the followers, so a notice that
 * waited in vain sends the next {@link #AFTER_IN_VAIN} at once. Delaying or dropping a notice is
 * safe: to Raft it is a message lost or late. Driver thread only.
 */
final class CommitNotices {

    /** How long a notice waits; the driver's wait has millisecond steps. */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Notices sent at once after one waited in vain. */
    static final int AFTER_IN_VAIN = 256;
    /**
     * The newest messages of a queue looked at, on every send: a queue that grew longer (a slow
     * follower's) is not notices alone, and its notices further back leave as they are.
     */
    static final int LOOKED_AT = 64;

    private boolean holding;
    /** When the held notices leave (System.nanoTime). */
    private long until;
    private int immediate;

    /**
     * After messages were queued for the peer: whether the queue waits. A queue of notices alone
     * waits (unless notices go at once for now); anything else ends the wait, and the notices a later
     * append of the queue replaces are taken out.
     */
    boolean queued(Deque<Message.Peer> queue, long now) {
        Message.AppendEntries latest = null;
        boolean noticesOnly = queue.size() <= LOOKED_AT;
        int looked = 0;
        for (Iterator<Message.Peer> newestFirst = queue.descendingIterator(); newestFirst.hasNext() && looked < LOOKED_AT; looked++) {
            Message.Peer m = newestFirst.next();
            if (!(m instanceof Message.AppendEntries append)) {
                noticesOnly = false;
            } else if (latest == null) {
                latest = append;
                noticesOnly &= append.entries().isEmpty();
            } else if (replaces(latest, append)) {
                newestFirst.remove();
            } else {
                noticesOnly &= append.entries().isEmpty();
            }
        }
        if (noticesOnly && latest != null) {
            if (holding) {
                return true;
            }
            if (immediate > 0) {
                immediate--;
                return false;
            }
            holding = true;
            until = now + HOLD_NANOS;
            return true;
        }
        holding = false;
        return false;
    }

    /** Whether the queue waits at {@code now}; once the time is up, it does not, and notices go at once for a while. */
    boolean holds(long now) {
        if (!holding) {
            return false;
        }
        if (now - until < 0) {
            return true;
        }
        holding = false;
        immediate = AFTER_IN_VAIN;
        return false;
    }

    /** The queue was dropped (its connection failed, say): nothing waits. */
    void dropped() {
        holding = false;
    }

    /** Nanoseconds from {@code now} until the held notices leave, or {@code otherwise} where none wait or that is sooner. */
    long waitNanos(long now, long otherwise) {
        return holding ? Math.min(otherwise, until - now) : otherwise;
    }

    /** Whether {@code latest} carries on {@code earlier}, a notice of its term: its commit and its place. */
    private static boolean replaces(Message.AppendEntries latest, Message.AppendEntries earlier) {
        return earlier.entries().isEmpty() && earlier.term() == latest.term() && earlier.commit() <= latest.commit()
            && earlier.prevIndex() <= latest.prevIndex();
    }
}
