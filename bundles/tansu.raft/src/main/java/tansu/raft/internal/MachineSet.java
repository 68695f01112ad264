package tansu.raft.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import tansu.api.Entry;
import tansu.api.StateMachine;

/**
 * The state machines a node has, and what it keeps for those it lacks. Driver thread only.
 *
 * <p>Entries for a machine the node does not have are never skipped: the driver applies what it can
 * and holds the rest. Until the next snapshot they are in the log; a snapshot keeps them, in order,
 * in that machine's part (after the part it had, if any), so compaction loses nothing. When the
 * machine arrives (again), it is rebuilt: its part's state, its held entries, then its entries in the
 * log after the snapshot. A machine that goes away (its bundle stopped or updated) takes its
 * in-memory state with it and is rebuilt the same way when it comes back.
 */
final class MachineSet {

    /**
     * A machine's part of a snapshot: its own snapshot ({@code null} where it never had one) and the
     * entries it was still to apply after it, oldest first.
     */
    record Part(byte[] state, List<Entry> held) {
        Part {
            held = List.copyOf(held);
        }
    }

    private final Map<String, StateMachine> present = new HashMap<>();
    /**
     * Each machine's part of the newest snapshot the node holds: here, or in {@link #captured} where
     * the node took it from the machine itself (a name is in one of the two).
     */
    private final Map<String, Part> parts = new TreeMap<>();
    private final Map<String, CapturedState> captured = new TreeMap<>();
    /** The parts of the snapshot the node holds: where a captured state was released, it is read from there. */
    private final StoredParts stored;

    /** Reads the parts of the snapshot the node holds. */
    @FunctionalInterface
    interface StoredParts {
        Map<String, Part> read() throws IOException;
    }

    /** Machines that must be rebuilt before they apply anything. */
    private final Set<String> needRebuild = new TreeSet<>();
    /** Entries held since the newest snapshot, by machine (they are still in the log). */
    private final Map<String, Long> heldSinceSnapshot = new TreeMap<>();

    MachineSet(StoredParts stored) {
        this.stored = stored;
    }

    /** Machines for tests, that never release a captured state. */
    MachineSet() {
        this(Map::of);
    }

    StateMachine get(String name) {
        return present.get(name);
    }

    /** Adds a machine; answers whether it must be rebuilt from the snapshot and log before use. */
    boolean add(String name, StateMachine machine) {
        present.put(name, machine);
        return needRebuild.contains(name) || parts.containsKey(name) || captured.containsKey(name)
            || heldSinceSnapshot.containsKey(name);
    }

    void remove(String name, StateMachine machine) {
        if (present.remove(name, machine)) {
            needRebuild.add(name);
        }
    }

    /** An entry for a machine this node lacks, applied when it arrives; answers whether it is the first since the snapshot. */
    boolean hold(String name) {
        return heldSinceSnapshot.merge(name, 1L, Long::sum) == 1L;
    }

    /** What this node holds entries for, and how many, by machine. */
    Map<String, Long> waiting() {
        Map<String, Long> waiting = new TreeMap<>(heldSinceSnapshot);
        parts.forEach((name, part) -> {
            if (!present.containsKey(name) && !part.held().isEmpty()) {
                waiting.merge(name, (long) part.held().size(), Long::sum);
            }
        });
        return waiting;
    }

    /**
     * Restores {@code name} from its snapshot part (state, then held entries), or resets it where it
     * has none. The caller then applies its entries in the log after the snapshot.
     */
    void restoreFromSnapshot(String name) throws IOException {
        StateMachine machine = present.get(name);
        machine.reset();
        Part part = part(name);
        if (part != null) {
            if (part.state() != null) {
                machine.restore(new DataInputStream(new ByteArrayInputStream(part.state())));
            }
            for (Entry e : part.held()) {
                machine.apply(e);
            }
        }
        needRebuild.remove(name);
        heldSinceSnapshot.remove(name);
    }

    /** Replaces every snapshot part (a snapshot was loaded) and restores the machines present. */
    void installSnapshot(Map<String, Part> snapshot) throws IOException {
        parts.clear();
        captured.clear();
        parts.putAll(snapshot);
        heldSinceSnapshot.clear();
        for (String name : present.keySet()) {
            restoreFromSnapshot(name);
        }
    }

    /**
     * A snapshot at the applied index, taken on the driver's thread: each machine present captures its
     * state (written later, by {@link Taken#parts}); a machine absent keeps its part and adds its entries
     * of {@code sinceSnapshot} (the log after the last snapshot, up to the applied index) to what it holds.
     */
    Taken take(List<tansu.api.storage.LogEntry> sinceSnapshot) throws IOException {
        Map<String, List<Entry>> newlyHeld = new TreeMap<>();
        if (!heldSinceSnapshot.isEmpty() || !needRebuild.isEmpty()) {
            for (tansu.api.storage.LogEntry e : sinceSnapshot) {
                if (e.type() == tansu.api.storage.LogEntry.Type.COMMAND && !present.containsKey(e.machine())) {
                    newlyHeld.computeIfAbsent(e.machine(), n -> new ArrayList<>())
                        .add(new Entry(e.index(), e.term(), e.timestamp(), e.data()));
                }
            }
        }
        // A machine that left keeps its last state as bytes: a capture it made may have been released.
        for (String name : List.copyOf(captured.keySet())) {
            if (!present.containsKey(name)) {
                parts.put(name, part(name));
                captured.remove(name);
            }
        }
        for (Map.Entry<String, List<Entry>> e : newlyHeld.entrySet()) {
            Part old = parts.get(e.getKey());
            List<Entry> held = new ArrayList<>(old == null ? List.of() : old.held());
            held.addAll(e.getValue());
            parts.put(e.getKey(), new Part(old == null ? null : old.state(), held));
        }
        for (Map.Entry<String, StateMachine> e : present.entrySet()) {
            int lastSize = sizeOf(e.getKey());
            parts.remove(e.getKey());
            captured.put(e.getKey(), new CapturedState(e.getValue().capture(), lastSize));
        }
        heldSinceSnapshot.clear();
        return new Taken(Map.copyOf(parts), Map.copyOf(captured));
    }

    /**
     * The snapshot {@code taken} was stored and is the one the node holds: its captured states need not
     * stay in memory twice, they are read from it on the rare occasion a machine must be restored.
     */
    void stored(Taken taken) {
        taken.captured().forEach((name, state) -> {
            if (captured.get(name) == state) {
                state.release();
            }
        });
    }

    /** A machine's part of the newest snapshot, or {@code null}. */
    private Part part(String name) throws IOException {
        CapturedState state = captured.get(name);
        if (state == null) {
            return parts.get(name);
        }
        byte[] bytes = state.bytes();
        if (bytes == null) {
            Part part = stored.read().get(name);
            if (part == null) {
                throw new IOException("the stored snapshot lacks the part of " + name);
            }
            return part;
        }
        return new Part(bytes, List.of());
    }

    private int sizeOf(String name) {
        CapturedState state = captured.get(name);
        Part part = parts.get(name);
        return state != null ? state.size() : part == null || part.state() == null ? 0 : part.state().length;
    }

    /** The parts of a snapshot as taken: those kept as they were, and the states captured. */
    record Taken(Map<String, Part> kept, Map<String, CapturedState> captured) {

        /** Every part, the captured states written (on the calling thread, unless written already). */
        Map<String, Part> parts() throws IOException {
            Map<String, Part> all = new TreeMap<>(kept);
            for (Map.Entry<String, CapturedState> e : captured.entrySet()) {
                byte[] state = e.getValue().bytes();
                if (state == null) {
                    throw new IllegalStateException("the captured state of " + e.getKey() + " was released unwritten");
                }
                all.put(e.getKey(), new Part(state, List.of()));
            }
            return all;
        }
    }

    /**
     * A machine's captured state, written to bytes once, by whichever thread needs it first: the
     * snapshot thread, or the driver restoring the machine before that thread got to it.
     */
    static final class CapturedState {
        private StateMachine.Capture capture;
        private int sizeHint;
        private byte[] bytes;

        CapturedState(StateMachine.Capture capture, int sizeHint) {
            this.capture = capture;
            this.sizeHint = sizeHint;
        }

        /** The state written, or {@code null} once it was {@link #release released}. */
        synchronized byte[] bytes() throws IOException {
            if (bytes == null && capture != null) {
                // About the size of the last one: a buffer doubling from nothing left megabytes of garbage.
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(256, sizeHint + sizeHint / 8));
                DataOutputStream out = new DataOutputStream(buffer);
                capture.writeTo(out);
                out.flush();
                bytes = buffer.toByteArray();
                capture = null;
            }
            return bytes;
        }

        /** Its size, or the size hint while it is not written yet. */
        synchronized int size() {
            return bytes == null ? sizeHint : bytes.length;
        }

        /** Forgets the written state (the stored snapshot holds it), keeping its size as the next hint. */
        synchronized void release() {
            if (bytes != null) {
                sizeHint = bytes.length;
                bytes = null;
            }
        }
    }
}
