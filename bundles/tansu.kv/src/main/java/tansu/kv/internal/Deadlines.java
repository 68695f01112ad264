package tansu.kv.internal;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

/**
 * Fails requests not answered in time, all with the same timeout, swept by a thread that wakes on its
 * own schedule. {@code CompletableFuture.orTimeout} would schedule a timer task per request, and the
 * JDK's timer thread then wakes once for nearly every write at low concurrency: on two cores that
 * wake-up competes for a core with the write it is timing.
 *
 * <p>Requests are queued in the order they start, so their deadlines come in that order too: a sweep
 * stops at the first one not yet due. Answered requests leave the queue from its head as new ones
 * arrive, so the queue holds little more than the requests still out.
 */
final class Deadlines {

    private record Pending(long dueNanos, CompletableFuture<?> future) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final long timeoutNanos;

    Deadlines(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Fails {@code future} with a {@link TimeoutException} if it is not done by the first sweep after its time is up. */
    <T> CompletableFuture<T> watch(CompletableFuture<T> future, long nowNanos) {
        dropAnsweredAtHead();
        if (!future.isDone()) {
            pending.add(new Pending(nowNanos + timeoutNanos, future));
        }
        return future;
    }

    /** Fails the requests whose time is up; returns how many. */
    int sweep(long nowNanos) {
        int failed = 0;
        Iterator<Pending> oldestFirst = pending.iterator();
        while (oldestFirst.hasNext()) {
            Pending p = oldestFirst.next();
            if (!p.future().isDone()) {
                if (nowNanos - p.dueNanos() < 0) {
                    break;
                }
                if (p.future().completeExceptionally(new TimeoutException("no answer in time"))) {
                    failed++;
                }
            }
            oldestFirst.remove();
        }
        return failed;
    }

    /** Requests watched and not yet seen answered or failed. */
    int size() {
        return pending.size();
    }

    private void dropAnsweredAtHead() {
        Iterator<Pending> oldestFirst = pending.iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().future().isDone()) {
            oldestFirst.remove();
        }
    }
}
