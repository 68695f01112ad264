package tansu.itests.jepsen;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

/** The checker accepts linearizable register histories and rejects each known kind of anomaly. */
public class RegisterCheckerTest {

    private static Op read(long value, long invoke, long complete) {
        return new Op(1, "read", "k", value, 0, invoke, complete, Op.Outcome.OK);
    }

    private static Op write(long value, long invoke, long complete, Op.Outcome outcome) {
        return new Op(2, "write", "k", value, 0, invoke, outcome == Op.Outcome.UNKNOWN ? Op.NEVER : complete, outcome);
    }

    private static Op cas(long expected, long value, long invoke, long complete, Op.Outcome outcome) {
        return new Op(3, "cas", "k", value, expected, invoke, outcome == Op.Outcome.UNKNOWN ? Op.NEVER : complete, outcome);
    }

    private static boolean ok(Op... history) {
        return RegisterChecker.anomalies(List.of(history)).isEmpty();
    }

    @Test
    public void linearizableHistoriesPass() {
        assertEquals(true, ok(read(0, 0, 1), write(1, 2, 3, Op.Outcome.OK), read(1, 4, 5)));
        // Concurrent: the read may see either side of the overlapping write.
        assertEquals(true, ok(write(1, 0, 10, Op.Outcome.OK), read(0, 1, 2), read(1, 3, 4)));
        // An unknown write may take effect long after its client gave up, or never.
        assertEquals(true, ok(write(7, 0, 0, Op.Outcome.UNKNOWN), read(0, 5, 6), read(7, 20, 21)));
        assertEquals(true, ok(write(7, 0, 0, Op.Outcome.UNKNOWN), read(0, 5, 6)));
        assertEquals(true, ok(write(1, 0, 1, Op.Outcome.OK), cas(1, 2, 2, 3, Op.Outcome.OK), cas(1, 3, 4, 5, Op.Outcome.FAIL),
            read(2, 6, 7)));
        // A failed write says nothing.
        assertEquals(true, ok(write(5, 0, 1, Op.Outcome.FAIL), read(0, 2, 3)));
    }

    @Test
    public void eachKnownAnomalyIsRejected() {
        assertEquals("stale read after a completed write", false,
            ok(write(1, 0, 1, Op.Outcome.OK), read(0, 2, 3)));
        assertEquals("a read of a value never written", false, ok(read(9, 0, 1)));
        assertEquals("reads going back in time", false,
            ok(write(1, 0, 1, Op.Outcome.OK), write(2, 2, 10, Op.Outcome.OK), read(2, 3, 4), read(1, 5, 6)));
        assertEquals("two test-and-sets won from the same value", false,
            ok(write(1, 0, 1, Op.Outcome.OK), cas(1, 2, 2, 5, Op.Outcome.OK), cas(1, 3, 2, 5, Op.Outcome.OK)));
        assertEquals("a test-and-set that failed although the value matched", false,
            ok(write(1, 0, 1, Op.Outcome.OK), cas(1, 2, 2, 3, Op.Outcome.FAIL)));
        assertEquals("an acknowledged write lost", false,
            ok(write(1, 0, 1, Op.Outcome.OK), write(2, 2, 3, Op.Outcome.OK), read(1, 4, 5)));
        assertEquals("an unknown write seen, then unseen", false,
            ok(write(7, 0, 0, Op.Outcome.UNKNOWN), read(7, 5, 6), read(0, 7, 8)));
    }

    @Test
    public void anUnseenUnknownWriteStillExplainsAFailedTestAndSetAfterIt() {
        assertEquals(true, ok(write(1, 0, 1, Op.Outcome.OK), write(5, 2, 0, Op.Outcome.UNKNOWN), cas(1, 2, 3, 4, Op.Outcome.FAIL)));
        assertEquals(false, ok(write(1, 0, 1, Op.Outcome.OK), cas(1, 2, 3, 4, Op.Outcome.FAIL)));
    }

    @Test
    public void keysAreCheckedApart() {
        Op other = new Op(4, "read", "other", 3, 0, 0, 1, Op.Outcome.OK);
        assertEquals(List.of("other"), RegisterChecker.anomalies(List.of(write(1, 0, 1, Op.Outcome.OK), read(1, 2, 3), other)));
    }
}
