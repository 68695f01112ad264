package tansu.itests.jepsen;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import tansu.itests.jepsen.LockChecker.Hold;
import tansu.itests.jepsen.LockChecker.Pause;
import tansu.itests.jepsen.LockChecker.RecordWrite;
import tansu.itests.jepsen.WatchChecker.Event;

/** The set, watch and lock checkers pass good histories and reject each known kind of bad one. */
public class OtherCheckersTest {

    private static Op add(String key, Op.Outcome outcome) {
        return new Op(1, "add", key, 0, 0, 0, outcome == Op.Outcome.UNKNOWN ? Op.NEVER : 1, outcome);
    }

    @Test
    public void setWrites() {
        List<Op> adds = List.of(add("a", Op.Outcome.OK), add("b", Op.Outcome.UNKNOWN), add("c", Op.Outcome.UNKNOWN));
        assertEquals(List.of(), SetChecker.anomalies(adds, Set.of("a", "b")));
        assertEquals(List.of("lost a"), SetChecker.anomalies(adds, Set.of("b")));
        assertEquals(List.of("never written z"), SetChecker.anomalies(adds, Set.of("a", "z")));
        assertEquals(List.of("failed but present f"), SetChecker.anomalies(List.of(add("f", Op.Outcome.FAIL)), Set.of("f")));
    }

    private static Event set(long id, String key) {
        return new Event(id, "set", key, "v" + id);
    }

    @Test
    public void watchersThatSawEverythingOnceInOrderPass() {
        assertEquals(List.of(), WatchChecker.anomalies(Map.of("w1", List.of(set(3, "a"), set(5, "b"), set(8, "c")),
            "w2", List.of(set(3, "a"), set(5, "b"), set(8, "c"))), Set.of("a", "b", "c")));
    }

    @Test
    public void eachWatchAnomalyIsRejected() {
        List<Event> good = List.of(set(3, "a"), set(5, "b"), set(8, "c"));
        assertTrue("a change seen twice", WatchChecker.anomalies(Map.of("w1", good,
            "w2", List.of(set(3, "a"), set(5, "b"), set(5, "b"), set(8, "c"))), Set.of()).contains("w2: revision 5 after 5"));
        assertTrue("out of order", WatchChecker.anomalies(Map.of("w1", good,
            "w2", List.of(set(5, "b"), set(3, "a"), set(8, "c"))), Set.of()).contains("w2: revision 3 after 5"));
        assertTrue("a gap", WatchChecker.anomalies(Map.of("w1", good,
            "w2", List.of(set(3, "a"), set(8, "c"))), Set.of()).contains("w2: missed revision 5"));
        assertEquals("one revision, two changes", 1, WatchChecker.anomalies(Map.of("w1", good,
            "w2", List.of(set(3, "a"), new Event(5, "set", "b", "other"), set(8, "c"))), Set.of()).size());
        assertEquals(List.of("w1: never saw d"), WatchChecker.anomalies(Map.of("w1", good), Set.of("a", "d")));
        assertTrue("a key written once set twice", WatchChecker.anomalies(Map.of("w1", List.of(set(3, "a"), set(4, "a"))),
            Set.of()).contains("w1: a set twice (written once)"));
    }

    @Test
    public void locksHandedOverInTurnPass() {
        List<Hold> holds = List.of(new Hold(1, "n1", 10, 0, 1, 5), new Hold(2, "n2", 14, 2, 6, 9), new Hold(1, "n1", 20, 7, 10, 12));
        List<RecordWrite> writes = List.of(new RecordWrite("", "10:1"), new RecordWrite("10:1", "10:2"),
            new RecordWrite("10:2", "14:1"), new RecordWrite("14:1", "20:1"));
        assertEquals(List.of(), LockChecker.anomalies(holds, List.of(), writes));
    }

    @Test
    public void eachLockAnomalyIsRejected() {
        Hold first = new Hold(1, "n1", 10, 0, 1, 5);
        assertTrue("a token granted twice", LockChecker.anomalies(List.of(first, new Hold(2, "n2", 10, 2, 6, 9)), List.of(),
            List.of()).stream().anyMatch(a -> a.startsWith("token 10 granted twice")));
        assertTrue("a smaller token granted later", LockChecker.anomalies(List.of(first, new Hold(2, "n2", 7, 2, 6, 9)),
            List.of(), List.of()).stream().anyMatch(a -> a.startsWith("token 7 granted after 10")));
        List<Hold> overlapping = List.of(first, new Hold(2, "n2", 14, 2, 4, 9));
        assertEquals("two holders at once", 1, LockChecker.anomalies(overlapping, List.of(), List.of()).size());
        assertEquals("unless the first holder's node was paused meanwhile", List.of(),
            LockChecker.anomalies(overlapping, List.of(new Pause("n1", 2, 3)), List.of()));
        assertEquals("another node's pause excuses nothing", 1,
            LockChecker.anomalies(overlapping, List.of(new Pause("n2", 2, 3)), List.of()).size());
        assertEquals("the record back to a smaller token", 1, LockChecker.anomalies(List.of(), List.of(),
            List.of(new RecordWrite("", "14:1"), new RecordWrite("14:1", "10:2"))).size());
        assertEquals("two test-and-sets won from one value", 1, LockChecker.anomalies(List.of(), List.of(),
            List.of(new RecordWrite("10:1", "10:2"), new RecordWrite("10:1", "14:1"))).size());
    }

    @Test
    public void aNodeThatDiedOrBrokeOnItsOwnIsAnAnomaly() {
        assertEquals(List.of(), NodeLogChecker.anomalies("n1", List.of(
            "2026-11-27T05:24:16.395Z [tansu-raft-driver] INFO Driver - Snapshot at index 42019",
            "2026-11-27T05:24:20.000Z [CM Event Dispatcher] WARN TransportFaultInjection - Transport faults switched on")));
        assertEquals(3, NodeLogChecker.anomalies("n1", List.of(
            "Terminating due to java.lang.OutOfMemoryError: Java heap space",
            "2026-11-27T05:24:16.395Z [tansu-raft-driver] ERROR Driver - Raft driver stopped: storage or state machine failure",
            "Exception in thread \"tansu-lock\" java.lang.IllegalStateException")).size());
    }
}
