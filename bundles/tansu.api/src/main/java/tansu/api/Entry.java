package tansu.api;

/**
 * A committed log entry as a state machine sees it.
 *
 * @param index     position in the log, identical on every node
 * @param term      term of the leader that appended it
 * @param timestamp the appending leader's clock, epoch milliseconds: the only time apply may use
 * @param command   the bytes proposed, opaque to consensus
 */
public record Entry(long index, long term, long timestamp, byte[] command) {
}
