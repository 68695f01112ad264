package tansu.raft.internal;

import java.util.Objects;

import tansu.raft.core.Role;

/**
 * Says what changed in a node's part in elections since it was last asked: a new term, a campaign, a
 * leader won or lost. Elections are rare and are what an operator asks about after a failover ("how long
 * was there no leader, and why?"), so each change is worth a line at INFO; a pre-vote that does not
 * change the term (a node cut off from its cluster asks again every election timeout) is not.
 *
 * <p>Pure bookkeeping; used from the driver thread only.
 */
final class LeadershipLog {

    private long term = -1;
    private Role role;
    private String leader;

    /** @return the line to log for what changed since the last call, {@code null} where nothing worth it did */
    String changed(long term, Role role, String leader) {
        Role shown = role == Role.PRE_CANDIDATE ? Role.FOLLOWER : role;
        if (term == this.term && shown == this.role && Objects.equals(leader, this.leader)) {
            return null;
        }
        this.term = term;
        this.role = shown;
        this.leader = leader;
        return switch (shown) {
            case LEADER -> "Term " + term + ": this node is the leader";
            case CANDIDATE -> "Term " + term + ": this node stands for election";
            default -> leader == null
                ? "Term " + term + ": no leader known"
                : "Term " + term + ": following " + leader;
        };
    }
}
