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
    /** Each machine's part of the newest snapshot the node holds. */
    private final Map<String, Part> parts = new TreeMap<>();
    /** Machines that must be rebuilt before they apply anything. */
    private final Set<String> needRebuild = new TreeSet<>();
    /** Entries held since the newest snapshot, by machine (they are still in the log). */
    private final Map<String, Long> heldSinceSnapshot = new TreeMap<>();

    StateMachine get(String name) {
        return present.get(name);
    }

    /** Adds a machine; answers whether it must be rebuilt from the snapshot and log before use. */
    boolean add(String name, StateMachine machine) {
        present.put(name, machine);
        return needRebuild.contains(name) || parts.containsKey(name) || heldSinceSnapshot.containsKey(name);
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
        Part part = parts.get(name);
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
        parts.putAll(snapshot);
        heldSinceSnapshot.clear();
        for (String name : present.keySet()) {
            restoreFromSnapshot(name);
        }
    }

    /**
     * The parts of a snapshot at the applied index: each machine present writes its state; a machine
     * absent keeps its part and adds its entries of {@code sinceSnapshot} (the log after the last
     * snapshot, up to the applied index) to what it holds.
     */
    Map<String, Part> snapshot(List<tansu.api.storage.LogEntry> sinceSnapshot) throws IOException {
        Map<String, List<Entry>> newlyHeld = new TreeMap<>();
        if (!heldSinceSnapshot.isEmpty() || !needRebuild.isEmpty()) {
            for (tansu.api.storage.LogEntry e : sinceSnapshot) {
                if (e.type() == tansu.api.storage.LogEntry.Type.COMMAND && !present.containsKey(e.machine())) {
                    newlyHeld.computeIfAbsent(e.machine(), n -> new ArrayList<>())
                        .add(new Entry(e.index(), e.term(), e.timestamp(), e.data()));
                }
            }
        }
        for (Map.Entry<String, List<Entry>> e : newlyHeld.entrySet()) {
            Part old = parts.get(e.getKey());
            List<Entry> held = new ArrayList<>(old == null ? List.of() : old.held());
            held.addAll(e.getValue());
            parts.put(e.getKey(), new Part(old == null ? null : old.state(), held));
        }
        for (Map.Entry<String, StateMachine> e : present.entrySet()) {
            // About the size of its last one: a buffer doubling from nothing left megabytes of garbage.
            Part last = parts.get(e.getKey());
            int lastSize = last == null || last.state() == null ? 0 : last.state().length;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(256, lastSize + lastSize / 8));
            DataOutputStream out = new DataOutputStream(bytes);
            e.getValue().snapshot(out);
            out.flush();
            parts.put(e.getKey(), new Part(bytes.toByteArray(), List.of()));
        }
        heldSinceSnapshot.clear();
        return Map.copyOf(parts);
    }
}
