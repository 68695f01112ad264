package tansu.raft.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** How often a node introduces itself: at every 100 ms round while founding, once a second as a member. */
public class IntroductionCadenceTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    public void aNodeInNoClusterIntroducesItselfEveryRound() {
        assertTrue(RaftNode.introductionDue(true, 100 * MS, 0));
        assertTrue(RaftNode.introductionDue(true, 1, 0));
    }

    @Test
    public void aMemberIntroducesItselfOnceASecond() {
        assertFalse(RaftNode.introductionDue(false, 100 * MS, 0));
        assertFalse(RaftNode.introductionDue(false, 999 * MS, 0));
        assertTrue(RaftNode.introductionDue(false, 1000 * MS, 0));
    }
}
