package tansu.api;

import java.util.Map;

/**
 * A node's view of its cluster, as {@code /api/info} shows it.
 *
 * @param cluster           cluster id, or {@code null} before the node belongs to one
 * @param id                this node's id, kept in its data directory
 * @param role              {@code leader}, {@code follower}, {@code candidate} or {@code learner}
 * @param leaderId          {@code null} when no leader is known
 * @param leaderCommitIndex the leader's commit index as last heard of
 * @param connections       peers by id
 * @param waitingFor        state machines this node lacks that have committed entries waiting for
 *                          them (held in order, applied when the machine arrives), and how many
 */
public record NodeStatus(String cluster, String id, String env, String role, long term,
                         long commitIndex, long lastApplied, String leaderId, long leaderCommitIndex,
                         Map<String, Peer> connections, Map<String, Long> waitingFor) {

    public NodeStatus {
        connections = Map.copyOf(connections);
        waitingFor = Map.copyOf(waitingFor);
    }

    /** Where a peer answers. */
    public record Peer(String host, int port) {
    }
}
