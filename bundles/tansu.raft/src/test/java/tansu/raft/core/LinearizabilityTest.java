package tansu.raft.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import tansu.raft.core.Linearizability.Op;

/** The checker against histories known to be good and known to be bad: it must reject every bad one. */
public class LinearizabilityTest {

    private static final long U = Linearizability.UNKNOWN;

    private static Op w(long value, long invoke, long complete) {
        return new Op("k", true, value, invoke, complete);
    }

    private static Op r(long value, long invoke, long complete) {
        return new Op("k", false, value, invoke, complete);
    }

    @Test
    public void sequentialHistories() {
        assertTrue(Linearizability.linearizable(List.of(w(1, 0, 1), r(1, 2, 3), w(2, 4, 5), r(2, 6, 7))));
        assertFalse("a read of an overwritten value", Linearizability.linearizable(
            List.of(w(1, 0, 1), w(2, 2, 3), r(1, 4, 5))));
        assertFalse("a read of a value never written", Linearizability.linearizable(List.of(w(1, 0, 1), r(3, 2, 3))));
        assertTrue("the initial value", Linearizability.linearizable(List.of(r(0, 0, 1), w(1, 2, 3))));
        assertFalse("the initial value after a write", Linearizability.linearizable(List.of(w(1, 0, 1), r(0, 2, 3))));
    }

    @Test
    public void concurrentOperationsMayTakeEffectInEitherOrder() {
        assertTrue(Linearizability.linearizable(List.of(w(1, 0, 10), w(2, 1, 11), r(1, 12, 13))));
        assertTrue(Linearizability.linearizable(List.of(w(1, 0, 10), w(2, 1, 11), r(2, 12, 13))));
        assertTrue("a read during a write sees old or new", Linearizability.linearizable(
            List.of(w(1, 0, 1), w(2, 2, 10), r(1, 3, 4), r(2, 5, 6))));
        assertFalse("but not new then old (a stale read after a fresh one)", Linearizability.linearizable(
            List.of(w(1, 0, 1), w(2, 2, 10), r(2, 3, 4), r(1, 5, 6))));
    }

    @Test
    public void aWriteOfUnknownOutcomeMayHaveHappenedLaterOrNever() {
        assertTrue(Linearizability.linearizable(List.of(w(1, 0, 1), w(2, 2, U), r(1, 3, 4), r(2, 5, 6))));
        assertTrue(Linearizability.linearizable(List.of(w(1, 0, 1), w(2, 2, U), r(1, 3, 4))));
        assertFalse("not before it began", Linearizability.linearizable(List.of(w(1, 0, 1), r(2, 2, 3), w(2, 4, U))));
        assertFalse("and not twice", Linearizability.linearizable(
            List.of(w(1, 0, 1), w(2, 2, U), r(2, 3, 4), w(3, 5, 6), r(2, 7, 8))));
    }

    @Test
    public void keysAreCheckedApart() {
        List<Op> history = List.of(new Op("a", true, 1, 0, 1), new Op("b", true, 2, 0, 1), new Op("a", false, 1, 2, 3),
            new Op("b", false, 2, 2, 3));
        assertNull(Linearizability.check(history));
        assertEquals("b", Linearizability.check(List.of(new Op("a", true, 1, 0, 1), new Op("b", false, 1, 2, 3))));
    }
}
