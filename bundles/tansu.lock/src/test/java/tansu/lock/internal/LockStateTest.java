package tansu.lock.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import tansu.api.lock.LockInfo;

/** The lock machine's state: grants, the queue, releases, expiry and tokens. */
public class LockStateTest {

    private final LockState state = new LockState();
    private long index;

    private LockState.Outcome apply(LockCommand command) {
        // Through the codec, as the log carries it.
        return state.apply(LockCommand.decode(LockCommand.encode(command)), ++index);
    }

    private LockState.Result acquire(String session, String name) {
        return apply(new LockCommand.Acquire(session, "node-" + session, name, true)).result();
    }

    @Test
    public void theFirstIsGrantedTheOthersQueueInArrivalOrder() {
        assertEquals(new LockState.Grant(1), acquire("s1", "/abc"));
        assertEquals(new LockState.Queued("s1", 1), acquire("s2", "/abc"));
        LockState.Outcome third = apply(new LockCommand.Acquire("s3", "n3", "/abc", true));
        assertEquals(new LockState.Queued("s1", 2), third.result());
        assertEquals(List.of(new LockState.Waiting("s3", "/abc", "s1", 2)), third.events());
        assertEquals(new LockInfo("/abc", new LockInfo.Holder("s1", "node-s1", 1),
            List.of(new LockInfo.Waiter("s2", "node-s2"), new LockInfo.Waiter("s3", "n3"))), state.info("/abc"));

        LockState.Outcome closed = apply(new LockCommand.Close("s1"));
        assertEquals(List.of(new LockState.Ended("s1", "/abc", "closed", 1), new LockState.Granted("s2", "/abc", 4),
            new LockState.Waiting("s3", "/abc", "s2", 1), new LockState.Gone("s1")), closed.events());
        assertEquals(new LockState.Grant(4), acquire("s2", "/abc"));
    }

    @Test
    public void tryingANonBlockingAcquireOfAHeldLockLeavesNoTrace() {
        acquire("s1", "/abc");
        assertEquals(new LockState.Busy("s1", 1), apply(new LockCommand.Acquire("s2", "n", "/abc", false)).result());
        assertEquals(Map.of("s1", 0L), state.renewals());
        assertEquals(new LockState.Grant(3), apply(new LockCommand.Acquire("s3", "n", "/free", false)).result());
    }

    @Test
    public void aReleaseNeedsTheTokenThatHoldsTheLock() {
        acquire("s1", "/abc");
        acquire("s2", "/abc");
        assertEquals(new LockState.Release(false), apply(new LockCommand.Release("/abc", 2)).result());
        LockState.Outcome released = apply(new LockCommand.Release("/abc", 1));
        assertEquals(new LockState.Release(true), released.result());
        assertEquals(List.of(new LockState.Ended("s1", "/abc", "released", 1), new LockState.Gone("s1"),
            new LockState.Granted("s2", "/abc", 4)), released.events());
        assertEquals("a stale token releases nothing", new LockState.Release(false),
            apply(new LockCommand.Release("/abc", 1)).result());
        apply(new LockCommand.Release("/abc", 4));
        assertNull(state.info("/abc").holder());
    }

    @Test
    public void aSessionExpiresOnlyIfNotRenewedSinceTheLeaderLooked() {
        acquire("s1", "/abc");
        acquire("s2", "/abc");
        assertEquals(new LockState.Renewal(List.of("gone")),
            apply(new LockCommand.Renew("node-s1", List.of("s1", "gone"))).result());
        assertEquals("renewed meanwhile", List.of(), apply(new LockCommand.Expire("s1", 0)).events());
        LockState.Outcome expired = apply(new LockCommand.Expire("s1", 1));
        assertEquals(List.of(new LockState.Ended("s1", "/abc", "expired", 1), new LockState.Granted("s2", "/abc", 5),
            new LockState.Gone("s1")), expired.events());
    }

    @Test
    public void aWaiterThatLeavesIsRemovedFromTheQueue() {
        acquire("s1", "/abc");
        acquire("s2", "/abc");
        acquire("s3", "/abc");
        LockState.Outcome left = apply(new LockCommand.Close("s2"));
        assertEquals(List.of(new LockState.Ended("s2", "/abc", "closed", 0), new LockState.Waiting("s3", "/abc", "s1", 1),
            new LockState.Gone("s2")), left.events());
        apply(new LockCommand.Close("s1"));
        assertEquals("s3", state.info("/abc").holder().session());
    }

    /** Random churn: one holder at a time, tokens only grow, a snapshot restores the same state. */
    @Test
    public void churnKeepsOneHolderAndGrowingTokens() throws Exception {
        Random random = new Random(7);
        Map<String, Long> lastToken = new java.util.HashMap<>();
        List<String> names = List.of("/a", "/b", "/c");
        for (int step = 0; step < 20_000; step++) {
            String session = "s" + random.nextInt(12);
            String name = names.get(random.nextInt(names.size()));
            LockCommand command = switch (random.nextInt(5)) {
                case 0, 1 -> new LockCommand.Acquire(session, "n", name, random.nextBoolean());
                case 2 -> new LockCommand.Close(session);
                case 3 -> new LockCommand.Expire(session, state.renewals().getOrDefault(session, 0L));
                default -> new LockCommand.Release(name, state.info(name).holder() == null ? 0 : state.info(name).holder().token());
            };
            LockState.Outcome outcome = apply(command);
            List<String> grantedNow = new ArrayList<>();
            for (LockState.Event e : outcome.events()) {
                if (e instanceof LockState.Granted g) {
                    assertTrue("tokens grow", g.token() > lastToken.getOrDefault(g.name(), 0L));
                    lastToken.put(g.name(), g.token());
                    grantedNow.add(g.name());
                }
            }
            for (String n : grantedNow) {
                assertEquals(lastToken.get(n).longValue(), state.info(n).holder().token());
            }
            if (step % 1000 == 0) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                state.snapshot(new DataOutputStream(bytes));
                LockState copy = new LockState();
                copy.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                for (String n : names) {
                    assertEquals(state.info(n), copy.info(n));
                }
                assertEquals(state.renewals(), copy.renewals());
            }
        }
    }
}
