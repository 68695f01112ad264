package tansu.api;

/**
 * A member of the cluster as one node sees it.
 *
 * @param host  where it answers; {@code null} where not known yet
 * @param port  0 where not known yet
 * @param voter a voter, or a learner that only receives the log
 * @param match the index its log is known to match, as the leader tracks it; -1 where this node does
 *              not lead
 */
public record Member(String id, String host, int port, boolean voter, boolean leader, long match) {
}
