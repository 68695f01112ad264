package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import tansu.api.Applied;
import tansu.api.Entry;
import tansu.api.StateMachine;
import tansu.api.storage.LogEntry;

/** Entries for a machine a node lacks are held, kept by snapshots, and applied in order when it arrives. */
public class MachineSetTest {

    /** Appends each entry's index to a list: the order it applied things in is its state. */
    private static final class Recorder implements StateMachine {
        final List<Long> applied = new ArrayList<>();

        @Override
        public Applied apply(Entry entry) {
            applied.add(entry.index());
            return Applied.of(null);
        }

        @Override
        public void snapshot(DataOutput out) throws IOException {
            out.writeInt(applied.size());
            for (long i : applied) {
                out.writeLong(i);
            }
        }

        @Override
        public void restore(DataInput in) throws IOException {
            applied.clear();
            for (int n = in.readInt(); n > 0; n--) {
                applied.add(in.readLong());
            }
        }

        @Override
        public void reset() {
            applied.clear();
        }
    }

    /** A recorder that captures a copy of its list and writes it only when asked, counting the writes. */
    private static final class Capturer implements StateMachine {
        final Recorder recorder = new Recorder();
        int writes;

        @Override
        public Applied apply(Entry entry) {
            return recorder.apply(entry);
        }

        @Override
        public Capture capture() {
            List<Long> then = List.copyOf(recorder.applied);
            return out -> {
                writes++;
                out.writeInt(then.size());
                for (long i : then) {
                    out.writeLong(i);
                }
            };
        }

        @Override
        public void snapshot(DataOutput out) throws IOException {
            capture().writeTo(out);
        }

        @Override
        public void restore(DataInput in) throws IOException {
            recorder.restore(in);
        }

        @Override
        public void reset() {
            recorder.reset();
        }
    }

    private static LogEntry entry(long index, String machine) {
        return new LogEntry(index, 1, 0, LogEntry.Type.COMMAND, machine, "n", index, new byte[] {(byte) index});
    }

    /** Entries 1 to {@code n}, all for the machine "plugin". */
    private static List<LogEntry> pluginLog(int n) {
        List<LogEntry> log = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            log.add(entry(i, "plugin"));
        }
        return log;
    }

    /** What the driver does: apply what it can, hold the rest. */
    private static void apply(MachineSet machines, List<LogEntry> log, long from, long to) {
        for (LogEntry e : log.subList((int) from - 1, (int) to)) {
            StateMachine m = machines.get(e.machine());
            if (m == null) {
                machines.hold(e.machine());
            } else {
                m.apply(new Entry(e.index(), e.term(), e.timestamp(), e.data()));
            }
        }
    }

    /** What the driver does when a machine arrives: its part, then its entries after the snapshot. */
    private static void rebuild(MachineSet machines, String name, List<LogEntry> log, long snapshotIndex, long applied)
        throws IOException {
        machines.restoreFromSnapshot(name);
        for (LogEntry e : log.subList((int) snapshotIndex, (int) applied)) {
            if (e.machine().equals(name)) {
                machines.get(name).apply(new Entry(e.index(), e.term(), e.timestamp(), e.data()));
            }
        }
    }

    @Test
    public void aLateMachineGetsEveryEntryInOrderAcrossSnapshotsAndCompaction() throws Exception {
        List<LogEntry> log = new ArrayList<>();
        for (long i = 1; i <= 12; i++) {
            log.add(entry(i, i % 3 == 0 ? "late" : "kv"));
        }
        MachineSet machines = new MachineSet();
        Recorder kv = new Recorder();
        assertFalse(machines.add("kv", kv));

        apply(machines, log, 1, 5);
        assertEquals(Map.of("late", 1L), machines.waiting());
        // A snapshot at 5: the held entry 3 goes into the late machine's part; the log before it goes.
        Map<String, MachineSet.Part> snapshot = machines.take(log.subList(0, 5)).parts();
        assertEquals(List.of(3L), snapshot.get("late").held().stream().map(Entry::index).toList());
        apply(machines, log, 6, 10);
        assertEquals(Map.of("late", 3L), machines.waiting());
        machines.take(log.subList(5, 10)).parts();
        apply(machines, log, 11, 12);

        // The snapshot travels (encoded) to a node that has both machines from the start.
        MachineSet other = new MachineSet();
        Recorder otherLate = new Recorder();
        other.add("late", otherLate);
        other.installSnapshot(SnapshotCodec.decode(SnapshotCodec.encode(machines.take(log.subList(10, 12)).parts())));
        assertEquals(List.of(3L, 6L, 9L, 12L), otherLate.applied);

        Recorder late = new Recorder();
        assertTrue("it must be rebuilt", machines.add("late", late));
        rebuild(machines, "late", log, 12, 12);
        assertEquals(List.of(3L, 6L, 9L, 12L), late.applied);
        assertEquals(Map.of(), machines.waiting());
    }

    @Test
    public void aMachineThatLeftIsRebuiltFromItsPartAndEverythingAfter() throws Exception {
        List<LogEntry> log = pluginLog(8);
        MachineSet machines = new MachineSet();
        Recorder first = new Recorder();
        machines.add("plugin", first);
        apply(machines, log, 1, 3);
        machines.take(log.subList(0, 3)).parts();
        apply(machines, log, 4, 5);
        machines.remove("plugin", first);
        apply(machines, log, 6, 7);
        machines.take(log.subList(3, 7)).parts();
        apply(machines, log, 8, 8);
        assertEquals("4 and 5 again: the instance that applied them is gone", Map.of("plugin", 5L), machines.waiting());

        Recorder second = new Recorder();
        assertTrue(machines.add("plugin", second));
        rebuild(machines, "plugin", log, 7, 8);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), second.applied);
    }

    /** The plugin leaves after applying 1-5 on a snapshot at 3, and a new instance is rebuilt. */
    private static Capturer leavesAndComesBack(MachineSet machines, Capturer leaving, List<LogEntry> log) throws IOException {
        machines.remove("plugin", leaving);
        Capturer back = new Capturer();
        assertTrue(machines.add("plugin", back));
        rebuild(machines, "plugin", log, 3, 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), back.recorder.applied);
        return back;
    }

    @Test
    public void aCapturedStateIsWrittenOnceAsItWasWhenTakenByWhoeverNeedsItFirst() throws Exception {
        List<LogEntry> log = pluginLog(6);
        MachineSet machines = new MachineSet();
        Capturer first = new Capturer();
        machines.add("plugin", first);
        apply(machines, log, 1, 3);
        MachineSet.Taken taken = machines.take(log.subList(0, 3));
        assertEquals("taking writes nothing", 0, first.writes);
        apply(machines, log, 4, 5);

        // The machine leaves and comes back before the snapshot thread wrote the capture: the driver does.
        Capturer second = leavesAndComesBack(machines, first, log);
        assertEquals(1, first.writes);

        // Then the snapshot thread: the same bytes, the state as it was at 3.
        Recorder decoded = new Recorder();
        MachineSet other = new MachineSet();
        other.add("plugin", decoded);
        other.installSnapshot(SnapshotCodec.decode(SnapshotCodec.encode(taken.parts())));
        assertEquals(List.of(1L, 2L, 3L), decoded.applied);
        assertEquals("written once", 1, first.writes);
    }

    @Test
    public void aReleasedCaptureIsReadFromTheStoredSnapshot() throws Exception {
        List<LogEntry> log = pluginLog(9);
        byte[][] held = new byte[1][];
        MachineSet machines = new MachineSet(() -> SnapshotCodec.decode(held[0]));
        Capturer first = new Capturer();
        machines.add("plugin", first);
        apply(machines, log, 1, 3);
        MachineSet.Taken taken = machines.take(log.subList(0, 3));
        held[0] = SnapshotCodec.encode(taken.parts());
        machines.stored(taken);
        apply(machines, log, 4, 5);

        // Restored after the release: from the stored snapshot, then the log after it.
        Capturer second = leavesAndComesBack(machines, first, log);

        // It leaves again; the next snapshot keeps its released part with what it missed since.
        MachineSet.Taken again = machines.take(log.subList(3, 5));
        held[0] = SnapshotCodec.encode(again.parts());
        machines.stored(again);
        machines.remove("plugin", second);
        apply(machines, log, 6, 7);
        Map<String, MachineSet.Part> third = machines.take(log.subList(5, 7)).parts();
        Recorder decoded = new Recorder();
        MachineSet other = new MachineSet();
        other.add("plugin", decoded);
        other.installSnapshot(SnapshotCodec.decode(SnapshotCodec.encode(third)));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), decoded.applied);
    }
}
