package tansu.raft.core;

/**
 * Timing of the core, in ticks (the driver decides how long a tick is).
 *
 * @param electionTicks  a follower that hears no leader for a random time in
 *                       [electionTicks, 2 * electionTicks) starts an election (Raft paper, 5.2)
 * @param heartbeatTicks a leader sends heartbeats this often
 * @param seed           seeds the randomized election timeout, so that runs replay exactly
 */
public record RaftConfig(int electionTicks, int heartbeatTicks, long seed) {

    public RaftConfig {
        if (electionTicks <= heartbeatTicks || heartbeatTicks < 1) {
            throw new IllegalArgumentException("need 1 <= heartbeatTicks < electionTicks");
        }
    }
}
