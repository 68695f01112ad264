package tansu.raft.core;

/** What a node is doing in its current term. */
public enum Role {
    FOLLOWER, CANDIDATE, LEADER;

    /** As {@code /api/info} spells it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
