package tansu.kv.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.Test;

public class DeadlinesTest {

    private final Deadlines deadlines = new Deadlines(1_000);

    @Test
    public void aRequestNotAnsweredInTimeFailsWithATimeout() throws InterruptedException {
        CompletableFuture<String> request = deadlines.watch(new CompletableFuture<>(), 0);

        assertEquals(0, deadlines.sweep(999));
        assertFalse(request.isDone());
        assertEquals(1, deadlines.sweep(1_000));
        try {
            request.get();
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof TimeoutException);
            return;
        }
        throw new AssertionError("not failed");
    }

    @Test
    public void anAnsweredRequestIsNotFailedAndLeavesTheQueue() {
        CompletableFuture<String> request = deadlines.watch(new CompletableFuture<>(), 0);
        request.complete("done");

        assertEquals(0, deadlines.sweep(5_000));
        assertEquals("done", request.join());
        assertEquals(0, deadlines.size());
    }

    @Test
    public void aSweepStopsAtTheFirstRequestNotYetDue() {
        CompletableFuture<String> early = deadlines.watch(new CompletableFuture<>(), 0);
        CompletableFuture<String> late = deadlines.watch(new CompletableFuture<>(), 500);

        assertEquals(1, deadlines.sweep(1_200));
        assertTrue(early.isCompletedExceptionally());
        assertFalse(late.isDone());
        assertEquals(1, deadlines.size());
        assertEquals(1, deadlines.sweep(1_500));
        assertTrue(late.isCompletedExceptionally());
    }

    @Test
    public void answeredRequestsAtTheHeadLeaveAsNewOnesArrive() {
        for (int i = 0; i < 100; i++) {
            deadlines.watch(new CompletableFuture<>(), i).complete("done");
        }
        CompletableFuture<String> out = deadlines.watch(new CompletableFuture<>(), 100);

        assertEquals(1, deadlines.size());
        assertSame(out, deadlines.watch(out, 101));
    }

    @Test
    public void aRequestAlreadyDoneIsNotQueued() {
        deadlines.watch(CompletableFuture.completedFuture("done"), 0);

        assertEquals(0, deadlines.size());
    }

    @Test
    public void deadlinesPastTheWrapOfNanoTimeStillCome() {
        CompletableFuture<String> request = deadlines.watch(new CompletableFuture<>(), Long.MAX_VALUE - 10);

        assertEquals(0, deadlines.sweep(Long.MAX_VALUE));
        assertEquals(1, deadlines.sweep(Long.MIN_VALUE + 990));
        assertTrue(request.isCompletedExceptionally());
    }
}
