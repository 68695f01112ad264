package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

import tansu.raft.core.Role;

public class LeadershipLogTest {

    private final LeadershipLog log = new LeadershipLog();

    @Test
    public void aFollowerThatLosesItsLeaderCampaignsAndWins() {
        assertEquals("Term 3: following b", log.changed(3, Role.FOLLOWER, "b"));
        assertNull(log.changed(3, Role.FOLLOWER, "b"));
        assertEquals("Term 3: no leader known", log.changed(3, Role.FOLLOWER, null));
        assertEquals("Term 4: this node stands for election", log.changed(4, Role.CANDIDATE, null));
        assertEquals("Term 4: this node is the leader", log.changed(4, Role.LEADER, "a"));
        assertNull(log.changed(4, Role.LEADER, "a"));
    }

    @Test
    public void preVotesThatLeaveTheTermAloneAreNotWorthALine() {
        assertEquals("Term 7: no leader known", log.changed(7, Role.FOLLOWER, null));
        assertNull(log.changed(7, Role.PRE_CANDIDATE, null));
        assertNull(log.changed(7, Role.FOLLOWER, null));
        assertNull(log.changed(7, Role.PRE_CANDIDATE, null));
    }

    @Test
    public void aNewTermWithTheSameLeaderIsStillALine() {
        assertEquals("Term 2: following c", log.changed(2, Role.FOLLOWER, "c"));
        assertEquals("Term 5: following c", log.changed(5, Role.FOLLOWER, "c"));
    }
}
