package tansu.raft.core;

/**
 * How a core behaves; times are in ticks (the driver decides how long a tick is).
 *
 * @param electionTicks      a follower that hears no leader for a random time in
 *                           [electionTicks, 2 * electionTicks) starts an election (paper 5.2)
 * @param heartbeatTicks     a leader sends heartbeats this often
 * @param seed               seeds the randomized election timeout, so that runs replay exactly
 * @param preVote            ask for an opinion before changing term, so that a node that was cut off
 *                           cannot disrupt a working cluster when it returns (thesis 9.6)
 * @param checkQuorum        a leader that has not heard from a majority for an election timeout steps
 *                           down, and followers that heard from their leader recently refuse to vote
 *                           (thesis 6.2)
 * @param maxInflight        appends a leader sends to a follower before waiting for an answer
 * @param maxEntriesPerAppend entries in one append
 * @param snapshotChunkBytes bytes of snapshot in one message
 */
public record RaftConfig(int electionTicks, int heartbeatTicks, long seed, boolean preVote, boolean checkQuorum,
                         int maxInflight, int maxEntriesPerAppend, int snapshotChunkBytes) {

    public RaftConfig {
        if (electionTicks <= heartbeatTicks || heartbeatTicks < 1) {
            throw new IllegalArgumentException("need 1 <= heartbeatTicks < electionTicks");
        }
        if (maxInflight < 1 || maxEntriesPerAppend < 1 || snapshotChunkBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The defaults: pre-vote and check-quorum on, 64 appends of up to 256 entries in flight, 512 KiB chunks. */
    public RaftConfig(int electionTicks, int heartbeatTicks, long seed) {
        this(electionTicks, heartbeatTicks, seed, true, true, 64, 256, 512 * 1024);
    }
}
