package tansu.api.storage;

import java.io.IOException;
import java.util.List;

/**
 * Durable storage of one Raft node: its identity, hard state, log and newest snapshot.
 *
 * <p>Every write returns only once it is on disk (fsynced). Calls come from one thread at a time, but
 * for {@link #saveSnapshot}, which may come from another thread while that one appends.
 */
public interface RaftStorage {

    /** Everything stored, read once at start. */
    StoredState load() throws IOException;

    /**
     * Stores {@code entries} (replacing any stored entries from the first one's index on) and then the
     * hard state, in one durable transaction: one fsync for the whole batch.
     */
    void append(HardState hardState, List<LogEntry> entries) throws IOException;

    /**
     * Stores a snapshot of this node's own state durably; after it returns, later appends drop the log
     * up to and including its index (compaction). May be called from a thread other than the one that
     * appends, while it appends: a snapshot of megabytes must not hold up the log. A snapshot older
     * than the one stored (a leader's installed meanwhile) is not stored.
     */
    void saveSnapshot(Snapshot snapshot) throws IOException;

    /** Stores a snapshot received from the leader durably, replacing the whole log. */
    void installSnapshot(Snapshot snapshot) throws IOException;

    /** Records the id of the cluster this node belongs to. */
    void saveClusterId(String clusterId) throws IOException;

    /**
     * Records where a peer answers ({@code host:port}), so that a restarted node finds its cluster
     * again whatever discovery says.
     */
    void savePeerAddress(String nodeId, String address) throws IOException;
}
