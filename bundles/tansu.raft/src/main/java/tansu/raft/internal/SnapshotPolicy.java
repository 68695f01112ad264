package tansu.raft.internal;

/**
 * When a node takes a snapshot. Every {@code entries} applied entries, once the log since the last
 * snapshot holds {@code logRatio} times that snapshot's bytes of commands: a snapshot is written
 * whole (the key-value machine's is mostly its change history, megabytes), so taken every 10,000
 * entries it cost as much disk and encoding as the log itself, every half second at 64 connections,
 * all nodes at once. The Raft thesis (5.1.3) sizes the log against the snapshot for that reason. At
 * the latest when the log holds {@code maxBytes} (it is kept in memory until then), and every
 * {@code intervalNanos} where anything was applied. Pure.
 */
record SnapshotPolicy(long entries, long maxBytes, int logRatio, long intervalNanos) {

    /**
     * Whether a snapshot is due, {@code entriesSince} entries and {@code bytesSince} bytes of commands
     * applied and {@code nanosSince} passed since the last one, which was {@code lastSnapshotBytes} long
     * (0 before the first).
     */
    boolean due(long entriesSince, long bytesSince, long lastSnapshotBytes, long nanosSince) {
        if (entriesSince <= 0) {
            return false;
        }
        if (bytesSince >= maxBytes || nanosSince >= intervalNanos) {
            return true;
        }
        return entriesSince >= entries && bytesSince >= (double) logRatio * lastSnapshotBytes;
    }
}
