package tansu.storage.derby.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.File;
import java.util.List;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;
import tansu.api.storage.StoredState;

/** The storage on real Derby files, reopened as a restarted node would. */
public class DerbyStoreTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private DerbyStore store;

    private DerbyStore open() throws Exception {
        if (store != null) {
            store.close();
        }
        store = DerbyStorageComponent.open(new File(folder.getRoot(), "derby"));
        return store;
    }

    @After
    public void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private static LogEntry entry(long index, long term, String data) {
        return new LogEntry(index, term, 1000 + index, LogEntry.Type.COMMAND, "kv", "origin", index * 10, data.getBytes());
    }

    @Test
    public void aNewDatabaseHasAnIdentityAndNothingElse() throws Exception {
        StoredState state = open().load();
        assertNotNull(state.nodeId());
        assertNull(state.clusterId());
        assertEquals(HardState.EMPTY, state.hardState());
        assertNull(state.snapshot());
        assertEquals(List.of(), state.entries());
        assertEquals("the id stays", state.nodeId(), open().load().nodeId());
    }

    @Test
    public void entriesAndHardStateSurviveAReopen() throws Exception {
        open().load();
        store.saveClusterId("c1");
        store.append(new HardState(3, "n2", 1), List.of(entry(1, 1, "a"), entry(2, 3, "b")));
        store.append(null, List.of(entry(3, 3, "c")));

        StoredState state = open().load();
        assertEquals("c1", state.clusterId());
        assertEquals(new HardState(3, "n2", 1), state.hardState());
        assertEquals(3, state.entries().size());
        LogEntry second = state.entries().get(1);
        assertEquals(2, second.index());
        assertEquals(3, second.term());
        assertEquals(1002, second.timestamp());
        assertEquals("kv", second.machine());
        assertEquals("origin", second.origin());
        assertEquals(20, second.requestId());
        assertArrayEquals("b".getBytes(), second.data());
    }

    @Test
    public void peerAddressesSurviveAReopenTheLatestWinning() throws Exception {
        open().load();
        assertEquals(java.util.Map.of(), store.load().peers());
        store.savePeerAddress("n2", "10.0.0.2:8080");
        store.savePeerAddress("n3", "10.0.0.3:8080");
        store.savePeerAddress("n2", "10.0.0.9:8081");
        assertEquals(java.util.Map.of("n2", "10.0.0.9:8081", "n3", "10.0.0.3:8080"), open().load().peers());
    }

    @Test
    public void appendingAtAnEarlierIndexReplacesTheConflictingSuffix() throws Exception {
        open().load();
        store.append(new HardState(1, null, 0), List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c")));
        store.append(new HardState(2, null, 0), List.of(entry(2, 2, "B")));
        List<LogEntry> entries = open().load().entries();
        assertEquals(2, entries.size());
        assertEquals(2, entries.get(1).term());
        assertArrayEquals("B".getBytes(), entries.get(1).data());
    }

    @Test
    public void aSnapshotCompactsTheLogBeforeIt() throws Exception {
        open().load();
        store.append(new HardState(1, null, 3), List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c")));
        store.saveSnapshot(new Snapshot(2, 1, List.of("n1", "n2"), List.of("n3"), new byte[] {7, 8}));

        StoredState state = open().load();
        assertEquals(2, state.snapshot().index());
        assertEquals(List.of("n1", "n2"), state.snapshot().voters());
        assertEquals(List.of("n3"), state.snapshot().learners());
        assertArrayEquals(new byte[] {7, 8}, state.snapshot().data());
        assertEquals(1, state.entries().size());
        assertEquals(3, state.entries().get(0).index());

        store.saveSnapshot(new Snapshot(3, 1, List.of("n1"), List.of(), new byte[] {9}));
        state = open().load();
        assertEquals(3, state.snapshot().index());
        assertEquals(List.of(), state.entries());
    }

    @Test
    public void theLogASnapshotCoversGoesAFewRowsWithEachLaterAppend() throws Exception {
        open().load();
        int covered = 3 * DerbyStore.COMPACTION_ROWS;
        for (long i = 1; i <= covered; i += 8) {
            List<LogEntry> batch = new java.util.ArrayList<>();
            for (long j = i; j < i + 8; j++) {
                batch.add(entry(j, 1, "x" + j));
            }
            store.append(new HardState(1, null, i + 7), batch);
        }
        store.saveSnapshot(new Snapshot(covered, 1, List.of("n1"), List.of(), new byte[] {1}));
        assertEquals("saving the snapshot deletes nothing", covered, store.logRows());
        store.append(null, List.of(entry(covered + 1, 1, "y")));
        assertEquals(covered + 1 - DerbyStore.COMPACTION_ROWS, store.logRows());

        // A restart in between: only what follows the snapshot is loaded, and compaction goes on.
        StoredState state = open().load();
        assertEquals(List.of((long) covered + 1), state.entries().stream().map(LogEntry::index).toList());
        store.append(null, List.of(entry(covered + 2, 1, "z")));
        store.append(null, List.of(entry(covered + 3, 1, "z")));
        assertEquals("only the entries after the snapshot remain", 3, store.logRows());
        store.append(null, List.of(entry(covered + 4, 1, "z")));
        assertEquals(4, store.logRows());
        assertEquals(4, open().load().entries().size());
    }

    @Test
    public void aSnapshotFromTheLeaderReplacesTheWholeLog() throws Exception {
        open().load();
        store.append(new HardState(1, null, 1), List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c")));
        store.installSnapshot(new Snapshot(2, 2, List.of("n1"), List.of(), new byte[] {1}));
        StoredState state = open().load();
        assertEquals(2, state.snapshot().index());
        assertEquals("entries after a leader's snapshot are not kept", List.of(), state.entries());
        store.append(null, List.of(entry(3, 2, "C")));
        assertEquals(1, open().load().entries().size());
    }
}
