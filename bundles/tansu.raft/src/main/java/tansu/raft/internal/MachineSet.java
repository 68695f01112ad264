package tansu.raft.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import tansu.api.StateMachine;

/**
 * The state machines a node has, and the snapshot parts of those it lacks. Driver thread only.
 *
 * <p>A machine that goes away (its bundle stopped or updated) takes its in-memory state with it; the
 * next instance of that name is rebuilt from the last snapshot part plus the log after it.
 */
final class MachineSet {

    private final Map<String, StateMachine> present = new HashMap<>();
    /** Each machine's part of the newest snapshot the node holds. */
    private final Map<String, byte[]> snapshotParts = new TreeMap<>();
    /** Machines that must be rebuilt before they apply anything. */
    private final Set<String> needRebuild = new TreeSet<>();

    StateMachine get(String name) {
        return present.get(name);
    }

    /** Adds a machine; answers whether it must be rebuilt from the snapshot and log before use. */
    boolean add(String name, StateMachine machine) {
        present.put(name, machine);
        return needRebuild.contains(name) || snapshotParts.containsKey(name);
    }

    void remove(String name, StateMachine machine) {
        if (present.remove(name, machine)) {
            needRebuild.add(name);
        }
    }

    /** Restores {@code name} from its snapshot part, or resets it where there is none. */
    void restoreFromSnapshot(String name) throws IOException {
        StateMachine machine = present.get(name);
        machine.reset();
        byte[] part = snapshotParts.get(name);
        if (part != null) {
            machine.restore(new DataInputStream(new ByteArrayInputStream(part)));
        }
        needRebuild.remove(name);
    }

    /** Replaces every snapshot part (a snapshot was loaded) and restores the machines present. */
    void installSnapshot(Map<String, byte[]> parts) throws IOException {
        snapshotParts.clear();
        snapshotParts.putAll(parts);
        for (String name : present.keySet()) {
            restoreFromSnapshot(name);
        }
    }

    /**
     * Snapshots every machine present; machines absent keep their previous part (their entries
     * after it cannot have been applied, since applying stops at the first entry for a missing machine).
     */
    Map<String, byte[]> snapshot() throws IOException {
        for (Map.Entry<String, StateMachine> e : present.entrySet()) {
            if (needRebuild.contains(e.getKey())) {
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            e.getValue().snapshot(out);
            out.flush();
            snapshotParts.put(e.getKey(), bytes.toByteArray());
        }
        return Map.copyOf(snapshotParts);
    }
}
