package tansu.storage.derby.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

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
    public void aConflictInsideAnEarlierRunCutsThatRunShort() throws Exception {
        open().load();
        store.append(new HardState(1, null, 0), List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c")));
        store.append(null, List.of(entry(4, 1, "d"), entry(5, 1, "e")));
        store.append(null, List.of(entry(6, 1, "f")));
        store.append(new HardState(2, null, 0), List.of(entry(3, 2, "C"), entry(4, 2, "D")));
        assertEquals("the first run cut short, the new one after it", 2, store.logRows());
        store.append(null, List.of(entry(5, 2, "E")));
        // Then a conflict at the very start of a run, after a restart.
        open().load();
        store.append(null, List.of(entry(5, 3, "5")));
        List<LogEntry> entries = open().load().entries();
        assertEquals(List.of("a", "b", "C", "D", "5"), entries.stream().map(e -> new String(e.data())).toList());
        assertEquals(List.of(1L, 1L, 2L, 2L, 3L), entries.stream().map(LogEntry::term).toList());
        store.append(null, List.of(entry(6, 3, "6")));
        assertEquals(6, open().load().entries().size());
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
    public void theLogASnapshotCoversGoesAFewRunsWithEachLaterAppend() throws Exception {
        open().load();
        int runs = 3 * DerbyStore.COMPACTION_ROWS;
        for (long i = 1; i <= 8L * runs; i += 8) {
            List<LogEntry> batch = new java.util.ArrayList<>();
            for (long j = i; j < i + 8; j++) {
                batch.add(entry(j, 1, "x" + j));
            }
            store.append(new HardState(1, null, i + 7), batch);
        }
        // Inside the last run: that run holds entries after the snapshot, and stays.
        long snapshot = 8L * runs - 4;
        store.saveSnapshot(new Snapshot(snapshot, 1, List.of("n1"), List.of(), new byte[] {1}));
        assertEquals("one run per append; saving the snapshot deletes none", runs, store.logRows());
        store.append(null, List.of(entry(8L * runs + 1, 1, "y")));
        assertEquals(runs + 1 - DerbyStore.COMPACTION_ROWS, store.logRows());

        // A restart in between: only what follows the snapshot is loaded, and compaction goes on.
        StoredState state = open().load();
        assertEquals(java.util.stream.LongStream.rangeClosed(snapshot + 1, 8L * runs + 1).boxed().toList(),
            state.entries().stream().map(LogEntry::index).toList());
        store.append(null, List.of(entry(8L * runs + 2, 1, "z")));
        store.append(null, List.of(entry(8L * runs + 3, 1, "z")));
        assertEquals("only the runs holding entries after the snapshot remain", 4, store.logRows());
        store.append(null, List.of(entry(8L * runs + 4, 1, "z")));
        assertEquals(5, store.logRows());
        assertEquals(8, open().load().entries().size());
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

    @Test
    public void anOwnSnapshotOlderThanTheLeadersInstalledMeanwhileIsNotStored() throws Exception {
        open().load();
        store.append(new HardState(1, null, 3), List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c")));
        store.installSnapshot(new Snapshot(9, 2, List.of("n1"), List.of(), new byte[] {9}));
        store.saveSnapshot(new Snapshot(3, 1, List.of("n1"), List.of(), new byte[] {3}));
        store.append(null, List.of(entry(10, 2, "d")));

        StoredState state = open().load();
        assertEquals(9, state.snapshot().index());
        assertArrayEquals(new byte[] {9}, state.snapshot().data());
        assertEquals(List.of(10L), state.entries().stream().map(LogEntry::index).toList());
    }

    @Test
    public void snapshotsStoredFromAnotherThreadWhileTheLogGrowsLoseNothing() throws Exception {
        open().load();
        int entries = 2_000;
        java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread snapshots = new Thread(() -> {
            try {
                long last = 0;
                while (last < entries) {
                    long upTo = appended.get();
                    if (upTo > last) {
                        // A snapshot of 256 KiB, as a busy node's are megabytes: storing takes a while.
                        byte[] data = new byte[256 * 1024];
                        java.util.Arrays.fill(data, (byte) upTo);
                        store.saveSnapshot(new Snapshot(upTo, 1, List.of("n1"), List.of(), data));
                        last = upTo;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        snapshots.start();
        for (long i = 1; i <= entries; i += 4) {
            List<LogEntry> batch = new java.util.ArrayList<>();
            for (long j = i; j < i + 4; j++) {
                batch.add(entry(j, 1, "x" + j));
            }
            store.append(new HardState(1, null, i + 3), batch);
            appended.set(i + 3);
        }
        snapshots.join(60_000);
        assertNull(failure.get());

        StoredState state = open().load();
        long at = state.snapshot().index();
        assertEquals("the last snapshot is the whole log", entries, at);
        assertEquals((byte) at, state.snapshot().data()[0]);
        assertEquals(List.of(), state.entries());
        store.append(null, List.of(entry(entries + 1, 1, "after")));
        assertEquals(List.of((long) entries + 1), open().load().entries().stream().map(LogEntry::index).toList());
    }

    private File snapshotFiles() {
        return new File(folder.getRoot(), "snapshots");
    }

    private List<String> snapshotFileNames() {
        String[] names = snapshotFiles().list();
        return names == null ? List.of() : java.util.Arrays.stream(names).sorted().toList();
    }

    @Test
    public void aSnapshotsDataIsOneFileBesideTheDatabaseTheNewestOnly() throws Exception {
        open().load();
        store.append(new HardState(1, null, 3), List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c")));
        store.saveSnapshot(new Snapshot(2, 1, List.of("n1"), List.of(), new byte[] {2}));
        assertEquals(List.of("snapshot-2-1.bin"), snapshotFileNames());
        store.saveSnapshot(new Snapshot(3, 1, List.of("n1"), List.of(), new byte[] {3}));
        assertEquals(List.of("snapshot-3-1.bin"), snapshotFileNames());
        store.installSnapshot(new Snapshot(7, 2, List.of("n1"), List.of(), new byte[] {7}));
        assertEquals(List.of("snapshot-7-2.bin"), snapshotFileNames());
        assertArrayEquals(new byte[] {7}, open().load().snapshot().data());
    }

    @Test
    public void filesACrashLeftBehindGoAtTheNextStart() throws Exception {
        open().load();
        store.append(new HardState(1, null, 2), List.of(entry(1, 1, "a"), entry(2, 1, "b")));
        store.saveSnapshot(new Snapshot(2, 1, List.of("n1"), List.of(), new byte[] {2}));
        // A newer snapshot written, the node gone before its row was committed; and a half-written one.
        java.nio.file.Files.write(new File(snapshotFiles(), "snapshot-9-1.bin").toPath(), new byte[] {9});
        java.nio.file.Files.write(new File(snapshotFiles(), "snapshot-10-1.bin.tmp").toPath(), new byte[] {1});

        StoredState state = open().load();
        assertEquals(2, state.snapshot().index());
        assertArrayEquals(new byte[] {2}, state.snapshot().data());
        assertEquals(List.of("snapshot-2-1.bin"), snapshotFileNames());
    }

    @Test
    public void aDamagedSnapshotFileIsRefusedNotLoaded() throws Exception {
        open().load();
        store.append(new HardState(1, null, 2), List.of(entry(1, 1, "a"), entry(2, 1, "b")));
        store.saveSnapshot(new Snapshot(2, 1, List.of("n1"), List.of(), new byte[] {1, 2, 3}));
        java.nio.file.Files.write(new File(snapshotFiles(), "snapshot-2-1.bin").toPath(), new byte[] {1, 9, 3});
        try {
            open().load();
            org.junit.Assert.fail("a damaged snapshot was loaded");
        } catch (java.io.IOException expected) {
            org.junit.Assert.assertTrue(expected.getMessage(), expected.getMessage().contains("damaged"));
        }
    }

    @Test
    public void aDatabaseFromBeforeSnapshotFilesAndLogRunsIsStillRead() throws Exception {
        File database = new File(folder.getRoot(), "derby");
        org.apache.derby.jdbc.EmbeddedDataSource ds = new org.apache.derby.jdbc.EmbeddedDataSource();
        ds.setDatabaseName(database.getPath());
        ds.setCreateDatabase("create");
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            for (String ddl : DerbyStore.SCHEMA) {
                s.execute(ddl);
            }
            s.execute("INSERT INTO meta (name, val) VALUES ('node_id', 'old-node')");
            s.execute("INSERT INTO hard_state (id, term, vote, commit_index) VALUES (1, 2, NULL, 5)");
            try (java.sql.PreparedStatement insert = c.prepareStatement(
                "INSERT INTO snapshot (id, idx, term, voters, learners, data) VALUES (1, 5, 2, 'n1', '', ?)")) {
                insert.setBytes(1, new byte[] {5, 5});
                insert.executeUpdate();
            }
            // A row per entry in the old log table, some the snapshot covers.
            try (java.sql.PreparedStatement insert = c.prepareStatement(
                "INSERT INTO log (idx, term, ts, kind, machine, origin, request, data) VALUES (?, 2, ?, 1, 'kv', 'n1', ?, ?)")) {
                for (long i = 4; i <= 2504; i++) {
                    insert.setLong(1, i);
                    insert.setLong(2, 1000 + i);
                    insert.setLong(3, i * 10);
                    insert.setBytes(4, ("e" + i).getBytes());
                    insert.executeUpdate();
                }
            }
        }

        StoredState state = open().load();
        assertEquals("old-node", state.nodeId());
        assertEquals(5, state.snapshot().index());
        assertArrayEquals(new byte[] {5, 5}, state.snapshot().data());
        assertEquals(java.util.stream.LongStream.rangeClosed(6, 2504).boxed().toList(),
            state.entries().stream().map(LogEntry::index).toList());
        LogEntry last = state.entries().get(state.entries().size() - 1);
        assertEquals(new LogEntry(2504, 2, 3504, LogEntry.Type.COMMAND, "kv", "n1", 25040, null).toString().replace("null", ""),
            last.toString().replaceAll("\\[B@[0-9a-f]+", ""));
        assertArrayEquals("e2504".getBytes(), last.data());
        assertEquals("the old rows moved into runs of a thousand", 3, store.logRows());
        assertEquals("upgraded once, and marked so", DerbyStore.SCHEMA_VERSION, store.schemaVersion());
        store.append(null, List.of(entry(2505, 2, "f")));
        store.saveSnapshot(new Snapshot(2505, 2, List.of("n1"), List.of(), new byte[] {6}));
        assertArrayEquals(new byte[] {6}, open().load().snapshot().data());
    }

    @Test
    public void freshDatabasesComeFromTheTemplateEachWithItsOwnNodeId() throws Exception {
        assertNotNull("the build packs the template into the bundle", DatabaseTemplate.class.getResource(DatabaseTemplate.RESOURCE));
        File a = new File(folder.getRoot(), "a/derby");
        File b = new File(folder.getRoot(), "b/derby");
        String first;
        try (DerbyStore one = DerbyStorageComponent.open(a)) {
            first = one.load().nodeId();
            one.append(new HardState(1, null, 1), List.of(entry(1, 1, "a")));
        }
        try (DerbyStore two = DerbyStorageComponent.open(b)) {
            assertNotNull(first);
            assertEquals("the template has the current schema", DerbyStore.SCHEMA_VERSION, two.schemaVersion());
            org.junit.Assert.assertNotEquals(first, two.load().nodeId());
        }
        assertTrue("nothing half-unpacked is left", new File(a.getParentFile(), "derby").isDirectory()
            && !new File(a.getParentFile(), "derby.unpacking").exists());
        try (DerbyStore again = DerbyStorageComponent.open(a)) {
            StoredState state = again.load();
            assertEquals("the id stays", first, state.nodeId());
            assertEquals(1, state.entries().size());
        }
    }
}
