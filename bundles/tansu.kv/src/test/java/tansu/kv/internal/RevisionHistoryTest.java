package tansu.kv.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import tansu.api.ChangeEvent;
import tansu.api.kv.Value;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

public class RevisionHistoryTest {

    private static ChangeEvent set(long revision, String key) {
        return new ChangeEvent(revision, "set", key, Map.of("key", key, "value", Value.text("v" + revision)));
    }

    /** Records what a watch delivers: revisions, and resets as negative numbers. */
    private static final class Recorder implements Watcher {
        final List<Long> seen = new ArrayList<>();

        @Override
        public void event(ChangeEvent event) {
            seen.add(event.revision());
        }

        @Override
        public void reset(long revision) {
            seen.add(-revision);
        }
    }

    @Test
    public void aWatchReplaysWhatItMissedThenFollowsLiveChangesWithoutGapOrDuplicate() {
        RevisionHistory history = new RevisionHistory(100, 1 << 20);
        history.append(List.of(set(1, "/a"), set(2, "/b")));
        history.append(List.of(set(3, "/a")));
        Recorder r = new Recorder();
        history.watch("/a", false, 1, r);
        history.append(List.of(set(4, "/a"), set(5, "/b")));
        assertEquals(List.of(3L, 4L), r.seen);
    }

    @Test
    public void aRecursiveWatchSeesTheKeyAndBelowButNotSiblingsSharingAPrefix() {
        RevisionHistory history = new RevisionHistory(100, 1 << 20);
        Recorder r = new Recorder();
        history.watch("/a", true, 0, r);
        history.append(List.of(set(1, "/a"), set(2, "/a/b"), set(3, "/ab"), set(4, "/a/b/c")));
        assertEquals(List.of(1L, 2L, 4L), r.seen);
    }

    @Test
    public void askingForRevisionsNoLongerKeptIsAnExplicitReset() {
        RevisionHistory history = new RevisionHistory(2, 1 << 20);
        history.append(List.of(set(1, "/a"), set(2, "/a"), set(3, "/a")));
        assertEquals(1, history.base());
        Recorder behind = new Recorder();
        history.watch("/a", false, 0, behind);
        assertEquals(List.of(-3L), behind.seen);

        Recorder justInTime = new Recorder();
        history.watch("/a", false, 1, justInTime);
        assertEquals(List.of(2L, 3L), justInTime.seen);
    }

    @Test
    public void historyIsBoundedByTheBytesOfItsValues() {
        RevisionHistory history = new RevisionHistory(1000, 400); // each event counts its 100 value bytes plus 66 of overhead
        for (long r = 1; r <= 10; r++) {
            history.append(List.of(new ChangeEvent(r, "set", "/k", Map.of("value", new Value("x/y", new byte[100])))));
        }
        assertEquals(8, history.base());
        assertEquals(2, history.retained().size());
    }

    @Test
    public void aRestoreForgetsHistoryAndResetsWatchesThatWereBehind() {
        RevisionHistory history = new RevisionHistory(100, 1 << 20);
        Recorder r = new Recorder();
        history.watch("/a", false, 0, r);
        history.restart(50);
        history.append(List.of(set(51, "/a")));
        assertEquals(List.of(-50L, 51L), r.seen);
        Recorder late = new Recorder();
        history.watch("/a", false, 10, late);
        assertEquals(List.of(-51L), late.seen);
    }

    @Test
    public void aClosedWatchHearsNothingMore() {
        RevisionHistory history = new RevisionHistory(100, 1 << 20);
        Recorder r = new Recorder();
        Watch w = history.watch("/a", false, 0, r);
        history.append(List.of(set(1, "/a")));
        w.close();
        history.append(List.of(set(2, "/a")));
        assertEquals(List.of(1L), r.seen);
    }

    @Test
    public void aWatchFromTheFutureWaitsForRevisionsBeyondIt() {
        RevisionHistory history = new RevisionHistory(100, 1 << 20);
        Recorder r = new Recorder();
        history.watch("/a", false, 5, r);
        history.append(List.of(set(5, "/a"), set(6, "/a")));
        assertEquals(List.of(6L), r.seen);
    }

    @Test
    public void aNodeRestoredFromASnapshotResumesWatchesAsFarBackAsTheNodeThatTookIt() throws Exception {
        RevisionHistory taken = new RevisionHistory(100, 1 << 20);
        taken.append(List.of(set(1, "/a"), set(2, "/b")));
        taken.append(List.of(new ChangeEvent(3, "deleted", "/a",
            Map.of("key", "/a", "deleted", Value.text("v1"), "expired", true, "ttl", 5L))));
        byte[] snapshot = snapshot(taken, 1 << 20);

        RevisionHistory restored = new RevisionHistory(100, 1 << 20);
        Recorder live = new Recorder();
        restored.watch("/a", false, 0, live);
        restored.read(new DataInputStream(new ByteArrayInputStream(snapshot)), 3);
        assertEquals("a watch open during the restore gets what it had not seen", List.of(1L, 3L), live.seen);
        assertEquals(taken.retained(), restored.retained());

        Recorder resumed = new Recorder();
        restored.watch("/b", false, 1, resumed);
        assertEquals("resumed from before the snapshot, no reset", List.of(2L), resumed.seen);
    }

    @Test
    public void aSnapshotCarriesTheNewestChangesThatFitItsBudgetAndOlderResumesAreReset() throws Exception {
        RevisionHistory taken = new RevisionHistory(100, 1 << 20);
        String big = "x".repeat(1000);
        for (long rev = 1; rev <= 10; rev++) {
            taken.append(List.of(new ChangeEvent(rev, "set", "/k", Map.of("key", "/k", "value", Value.text(big)))));
        }
        // Each change counts its 1,000 value bytes and 64 + key length: three fit in 3,300, not four.
        RevisionHistory restored = new RevisionHistory(100, 1 << 20);
        restored.read(new DataInputStream(new ByteArrayInputStream(snapshot(taken, 3300))), 10);
        assertEquals(List.of(8L, 9L, 10L), restored.retained().stream().map(ChangeEvent::revision).toList());
        assertEquals(7, restored.base());

        Recorder fromSeven = new Recorder();
        restored.watch("/k", false, 7, fromSeven);
        assertEquals(List.of(8L, 9L, 10L), fromSeven.seen);
        Recorder fromSix = new Recorder();
        restored.watch("/k", false, 6, fromSix);
        assertEquals("older than the snapshot's history: told so", List.of(-10L), fromSix.seen);

        RevisionHistory none = new RevisionHistory(100, 1 << 20);
        none.read(new DataInputStream(new ByteArrayInputStream(snapshot(taken, 100))), 10);
        assertEquals(List.of(), none.retained());
        assertEquals(10, none.base());
    }

    @Test
    public void aCutNeverSplitsTheChangesOfOneRevision() throws Exception {
        RevisionHistory taken = new RevisionHistory(100, 1 << 20);
        taken.append(List.of(set(1, "/a")));
        taken.append(List.of(set(2, "/a"), set(2, "/b")));
        taken.append(List.of(set(3, "/a")));
        // Room for the newest two changes: revision 3 and half of revision 2.
        long two = 2 * (64 + 2 + 2);
        RevisionHistory restored = new RevisionHistory(100, 1 << 20);
        restored.read(new DataInputStream(new ByteArrayInputStream(snapshot(taken, two))), 3);
        assertEquals(List.of(3L), restored.retained().stream().map(ChangeEvent::revision).toList());
        assertEquals(2, restored.base());
    }

    private static byte[] snapshot(RevisionHistory history, long budget) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        history.capture(budget).writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
