package tansu.raft.core;

/**
 * A command on its way into the log.
 *
 * @param timestamp the clock of the node stepping it in; the leader's is the one that stays
 */
public record Proposal(String machine, String origin, long requestId, byte[] data, long timestamp) {
}
