package tansu.raft.core;

/** What a node is doing in its current term. */
public enum Role {
    FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER;

    /** As {@code /api/info} spells it (a pre-candidate is a candidate that has not yet changed term). */
    public String label() {
        return this == PRE_CANDIDATE ? "candidate" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
