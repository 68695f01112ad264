package tansu.api.storage;

/**
 * One entry of the replicated log.
 *
 * @param timestamp the appending leader's clock, epoch milliseconds
 * @param machine   the state machine it is addressed to ({@link Type#COMMAND} only)
 * @param origin    the node that proposed it, so that node can answer its waiting client
 * @param requestId the proposing node's number for the request
 * @param data      the command, or the encoded configuration for {@link Type#CONFIGURATION}
 */
public record LogEntry(long index, long term, long timestamp, Type type, String machine, String origin,
                       long requestId, byte[] data) {

    /** What an entry carries. */
    public enum Type {
        /** A leader's first entry of its term: lets it commit earlier terms' entries. */
        NOOP,
        /** A command for a state machine. */
        COMMAND,
        /** A new cluster configuration. */
        CONFIGURATION
    }

    public static LogEntry noop(long index, long term, long timestamp) {
        return new LogEntry(index, term, timestamp, Type.NOOP, "", "", 0, new byte[0]);
    }

    /** The same entry at another place in the log (index and term are assigned by the leader). */
    public LogEntry at(long newIndex, long newTerm) {
        return new LogEntry(newIndex, newTerm, timestamp, type, machine, origin, requestId, data);
    }
}
