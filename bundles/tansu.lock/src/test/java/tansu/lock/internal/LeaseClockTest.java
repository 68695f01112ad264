package tansu.lock.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class LeaseClockTest {

    private static final long LEASE = 3_000;
    private final LeaseClock clock = new LeaseClock(LEASE);

    @Test
    public void aSessionFirstSeenLongAfterTheLeaderBeganHasAWholeLeaseFromThen() {
        // The lock service's check saw a waiter the moment its entry was applied, before the apply
        // thread told anyone: it used to count from when this node became leader, and expired it.
        assertEquals(List.of(), clock.due(Map.of("waiter", 0L), 0, 60_000));
        assertEquals(List.of(), clock.due(Map.of("waiter", 0L), 0, 60_000 + LEASE));
        assertEquals(List.of(new LeaseClock.Due("waiter", 0, LEASE + 1)), clock.due(Map.of("waiter", 0L), 0, 60_000 + LEASE + 1));
    }

    @Test
    public void aRenewalSeenStartsTheLeaseAgain() {
        clock.due(Map.of("s", 0L), 0, 1_000);
        assertEquals(List.of(), clock.due(Map.of("s", 1L), 0, 3_500));
        assertEquals(List.of(), clock.due(Map.of("s", 1L), 0, 6_500));
        assertEquals(List.of(new LeaseClock.Due("s", 1, 3_001)), clock.due(Map.of("s", 1L), 0, 6_501));
    }

    @Test
    public void noSessionIsDueBeforeALeaseOfLeadership() {
        clock.due(Map.of("s", 4L), 0, 1_000);
        assertEquals(List.of(), clock.due(Map.of("s", 4L), 5_000, 7_000));
        assertEquals(List.of(new LeaseClock.Due("s", 4, 3_001)), clock.due(Map.of("s", 4L), 5_000, 8_001));
    }

    @Test
    public void aSessionGoneIsForgotten() {
        clock.due(Map.of("s", 0L), 0, 0);
        clock.due(Map.of(), 0, 1_000);
        // Back with the same count (a restored state): counted from when it is seen again.
        assertEquals(List.of(), clock.due(Map.of("s", 0L), 0, 5_000));
        assertEquals(List.of(new LeaseClock.Due("s", 0, 3_001)), clock.due(Map.of("s", 0L), 0, 8_001));
    }
}
