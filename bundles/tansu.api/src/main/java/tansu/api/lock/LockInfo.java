package tansu.api.lock;

import java.util.List;

/**
 * A lock as of a read: its holder ({@code null} while free) and the sessions waiting, next first.
 *
 * @param name the lock
 */
public record LockInfo(String name, Holder holder, List<Waiter> waiting) {

    public LockInfo {
        waiting = List.copyOf(waiting);
    }

    /** The session holding the lock, the node serving it, and the token of its grant. */
    public record Holder(String session, String node, long token) {
    }

    /** A waiting session and the node serving it. */
    public record Waiter(String session, String node) {
    }
}
