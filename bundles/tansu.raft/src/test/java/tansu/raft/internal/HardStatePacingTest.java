package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

import tansu.api.storage.HardState;

public class HardStatePacingTest {

    private static final long INTERVAL = 100;

    private final HardStatePacing pacing = new HardStatePacing(INTERVAL, new HardState(2, "a", 10), 0);

    @Test
    public void aNewTermIsStoredWithTheNextAppendWhateverTheInterval() {
        HardState newTerm = new HardState(3, null, 10);
        assertEquals(newTerm, pacing.forAppend(newTerm, 1));
    }

    @Test
    public void aNewVoteIsStoredWithTheNextAppendWhateverTheInterval() {
        HardState voted = new HardState(2, "b", 10);
        assertEquals(voted, pacing.forAppend(voted, 1));
    }

    @Test
    public void aCommitIndexAloneWaitsForTheIntervalThenRidesAlongWithAnAppend() {
        assertNull(pacing.forAppend(new HardState(2, "a", 11), 10));
        assertNull(pacing.forAppend(new HardState(2, "a", 12), 50));
        assertEquals(new HardState(2, "a", 12), pacing.unstored());
        assertEquals("the latest commit, though this batch left the hard state alone",
            new HardState(2, "a", 12), pacing.forAppend(null, 100));
        assertNull(pacing.unstored());
        assertNull("the interval starts again from that write", pacing.forAppend(new HardState(2, "a", 13), 150));
    }

    @Test
    public void aTermChangeTakesThePendingCommitWithIt() {
        pacing.forAppend(new HardState(2, "a", 11), 10);
        HardState newTerm = new HardState(3, null, 11);
        assertEquals(newTerm, pacing.forAppend(newTerm, 20));
        assertNull(pacing.unstored());
        assertNull(pacing.due(1000));
    }

    @Test
    public void aCommitNoAppendCarriesIsStoredOnItsOwnOnceDue() {
        pacing.commitMoved(new HardState(2, "a", 11));
        assertNull(pacing.due(99));
        assertEquals(new HardState(2, "a", 11), pacing.due(100));
        assertNull("stored once", pacing.due(300));
    }

    @Test
    public void nothingToStoreWhenNothingChanged() {
        assertNull(pacing.forAppend(null, 1000));
        assertNull(pacing.due(1000));
        assertNull(pacing.unstored());
    }
}
