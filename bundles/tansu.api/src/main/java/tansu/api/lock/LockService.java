package tansu.api.lock;

import java.util.concurrent.CompletionStage;

/**
 * Locks granted in arrival order, each grant with a fencing token strictly larger than any before it
 * for that lock (the log index of the grant). A lock is held by a session that this node keeps alive
 * through the log; a session whose node stops renewing it expires after the lease, and its locks
 * pass on. Names are checked as keys are ({@link tansu.api.kv.Keys}).
 */
public interface LockService {

    /** The state machine that holds the locks. */
    String MACHINE = "lock";

    /**
     * A new session served by this node, for one client. What happens to it arrives at {@code listener},
     * from threads that must not be blocked. Closing it releases what it holds and leaves any queue.
     */
    LockSession session(LockListener listener);

    /**
     * Releases {@code name} where {@code token} holds it: completes with {@code true}, or with
     * {@code false} where that token does not hold it (any more).
     */
    CompletionStage<Boolean> release(String name, long token);

    /** Who holds {@code name} and who waits, as of a linearizable read. */
    CompletionStage<LockInfo> peek(String name);
}
