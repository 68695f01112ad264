package tansu.raft.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SnapshotPolicyTest {

    private static final long MINUTE = 60_000_000_000L;
    private final SnapshotPolicy policy = new SnapshotPolicy(10_000, 64 << 20, 2, 5 * MINUTE);

    @Test
    public void theFirstSnapshotComesAfterItsEntries() {
        assertFalse(policy.due(9_999, 1_000_000, 0, 0));
        assertTrue(policy.due(10_000, 1_000_000, 0, 0));
    }

    @Test
    public void laterOnesWaitForALogTwiceTheLastSnapshot() {
        long snapshot = 2_200_000;
        assertFalse("10,000 entries of 130 bytes", policy.due(10_000, 1_300_000, snapshot, 0));
        assertFalse(policy.due(30_000, 2 * snapshot - 1, snapshot, 0));
        assertTrue(policy.due(34_000, 2 * snapshot, snapshot, 0));
        assertFalse("and never before their entries", policy.due(9_000, 10 * snapshot, snapshot, 0));
    }

    @Test
    public void aRatioOfZeroCountsEntriesAlone() {
        SnapshotPolicy entriesAlone = new SnapshotPolicy(40, 64 << 20, 0, 5 * MINUTE);
        assertTrue(entriesAlone.due(40, 100, 1_000_000, 0));
        assertFalse(entriesAlone.due(39, 100, 1_000_000, 0));
    }

    @Test
    public void theLogInMemoryAndTheIntervalBoundTheWait() {
        long snapshot = 100L << 20;
        assertTrue("64 MiB of commands", policy.due(500, 64 << 20, snapshot, 0));
        assertTrue("five minutes", policy.due(1, 10, snapshot, 5 * MINUTE));
        assertFalse("nothing applied", policy.due(0, 0, snapshot, 50 * MINUTE));
    }
}
