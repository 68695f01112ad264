package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.List;

import org.junit.Test;

import tansu.api.storage.LogEntry;
import tansu.raft.core.Message;

/**
 * One follower's queue as the leader fills it: a commit notice waits for the next write's append,
 * which replaces it; one that waited in vain lets the next ones leave at once.
 */
public class CommitNoticesTest {

    private static final long T0 = 1_000_000_000L;

    private final CommitNotices notices = new CommitNotices();
    private final ArrayDeque<Message.Peer> queue = new ArrayDeque<>();

    @Test
    public void aNoticeAloneWaitsUntilTheHoldIsUp() {
        queue.add(notice(1, 5, 5));
        assertTrue(notices.queued(queue, T0));
        assertTrue(notices.holds(T0 + CommitNotices.HOLD_NANOS - 1));
        assertEquals(CommitNotices.HOLD_NANOS - 10, notices.waitNanos(T0 + 10, Long.MAX_VALUE));
        assertFalse(notices.holds(T0 + CommitNotices.HOLD_NANOS));
        assertEquals(1, queue.size());
    }

    @Test
    public void theNextAppendReplacesTheNoticeAndLeavesAtOnce() {
        queue.add(notice(1, 5, 5));
        assertTrue(notices.queued(queue, T0));
        Message.AppendEntries append = append(1, 5, 5, 6);
        queue.add(append);
        assertFalse(notices.queued(queue, T0 + 1000));
        assertEquals(List.of(append), List.copyOf(queue));
        assertFalse(notices.holds(T0 + 1000));
    }

    @Test
    public void aLaterNoticeReplacesAnEarlierOneAndWaitsNoLonger() {
        queue.add(notice(1, 5, 4));
        assertTrue(notices.queued(queue, T0));
        Message.AppendEntries later = notice(1, 5, 5);
        queue.add(later);
        assertTrue(notices.queued(queue, T0 + CommitNotices.HOLD_NANOS / 2));
        assertEquals(List.of(later), List.copyOf(queue));
        assertFalse(notices.holds(T0 + CommitNotices.HOLD_NANOS));
    }

    @Test
    public void anyOtherMessageEndsTheWaitButReplacesNothing() {
        Message.AppendEntries notice = notice(1, 5, 5);
        queue.add(notice);
        assertTrue(notices.queued(queue, T0));
        Message.Heartbeat heartbeat = new Message.Heartbeat("a", "b", 1, 5, 3);
        queue.add(heartbeat);
        assertFalse(notices.queued(queue, T0 + 1));
        assertEquals(List.of(notice, heartbeat), List.copyOf(queue));
    }

    @Test
    public void aNoticeOfAnEarlierTermIsNotReplaced() {
        Message.AppendEntries old = notice(1, 5, 5);
        queue.add(old);
        notices.queued(queue, T0);
        queue.add(append(2, 5, 5, 6));
        assertFalse(notices.queued(queue, T0 + 1));
        assertEquals(2, queue.size());
        assertEquals(old, queue.peekFirst());
    }

    @Test
    public void anAppendDoesNotReplaceANoticeItDoesNotCover() {
        Message.AppendEntries notice = notice(1, 7, 7);
        queue.add(notice);
        notices.queued(queue, T0);
        // Behind the notice (a probe to a follower that fell back, say): the notice's commit is not in it.
        queue.add(append(1, 3, 3, 4));
        assertFalse(notices.queued(queue, T0 + 1));
        assertEquals(notice, queue.peekFirst());
    }

    @Test
    public void aNoticeThatWaitedInVainSendsTheNextOnesAtOnceThenTheyWaitAgain() {
        queue.add(notice(1, 5, 5));
        notices.queued(queue, T0);
        long now = T0 + CommitNotices.HOLD_NANOS;
        assertFalse(notices.holds(now));
        for (int i = 0; i < CommitNotices.AFTER_IN_VAIN; i++) {
            queue.clear();
            queue.add(notice(1, 6 + i, 6 + i));
            assertFalse("notice " + i + " waited", notices.queued(queue, now + i));
            assertFalse(notices.holds(now + i));
        }
        queue.clear();
        queue.add(notice(1, 1000, 1000));
        assertTrue(notices.queued(queue, now + 1000));
    }

    @Test
    public void aLongQueueIsLookedAtOnlyInItsNewestMessages() {
        Message.AppendEntries farBack = notice(1, 5, 5);
        queue.add(farBack);
        for (int i = 0; i < CommitNotices.LOOKED_AT; i++) {
            queue.add(new Message.Heartbeat("a", "b", 1, 5, i));
        }
        queue.add(append(1, 5, 5, 6));
        assertFalse(notices.queued(queue, T0));
        assertEquals(farBack, queue.peekFirst());
        assertEquals(CommitNotices.LOOKED_AT + 2, queue.size());
    }

    @Test
    public void aDroppedQueueLeavesNothingWaiting() {
        queue.add(notice(1, 5, 5));
        notices.queued(queue, T0);
        queue.clear();
        notices.dropped();
        assertFalse(notices.holds(T0 + 1));
        assertEquals(42, notices.waitNanos(T0 + 1, 42));
    }

    /** An append without entries at {@code prevIndex}, telling the follower the commit index. */
    static Message.AppendEntries notice(long term, long prevIndex, long commit) {
        return new Message.AppendEntries("a", "b", term, prevIndex, term, List.of(), commit);
    }

    static Message.AppendEntries append(long term, long prevIndex, long commit, long index) {
        LogEntry entry = new LogEntry(index, term, 0, LogEntry.Type.COMMAND, "kv", "a", index, new byte[] {1});
        return new Message.AppendEntries("a", "b", term, prevIndex, term, List.of(entry), commit);
    }
}
