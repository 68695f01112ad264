package tansu.raft.core;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A linearizability checker for registers (Wing and Gong's search with Lowe's memoization, as in
 * Knossos and Porcupine), key by key. An operation whose outcome is unknown (its client never heard
 * back) may have taken effect at any point after it began, or never.
 */
final class Linearizability {

    /** {@code UNKNOWN} as a completion time: the client never heard back. */
    static final long UNKNOWN = Long.MAX_VALUE;

    /**
     * One client operation on a register: a write of {@code value}, or a read that returned it
     * (0 for a register never written), between {@code invoke} and {@code complete}.
     */
    record Op(String key, boolean write, long value, long invoke, long complete) {
    }

    private Linearizability() {
    }

    /**
     * Whether every key's history has a linearization; answers the first key that has none, or null.
     * Values written must be unique per key (each write is told apart by what it wrote).
     */
    static String check(List<Op> history) {
        Set<String> read = new HashSet<>();
        for (Op op : history) {
            if (!op.write() && op.complete() != UNKNOWN) {
                read.add(op.key() + "=" + op.value());
            }
        }
        Map<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : history) {
            if (!op.write() && op.complete() == UNKNOWN) {
                continue; // a read nobody saw the answer of says nothing
            }
            if (op.write() && op.complete() == UNKNOWN && !read.contains(op.key() + "=" + op.value())) {
                // A write of unknown outcome that no read saw: that it never happened is always a
                // possible explanation at least as good as any other, so leave it out of the search.
                continue;
            }
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
            if (!linearizable(e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    static boolean linearizable(List<Op> ops) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Op::invoke));
        return new Search(sorted).run();
    }

    private static final class Search {
        private final List<Op> ops;
        /** Configurations already explored: which operations are linearized, and the register's value. */
        private final Set<Explored> seen = new HashSet<>();

        private record Explored(BitSet done, long state) {
        }

        Search(List<Op> ops) {
            this.ops = ops;
        }

        boolean run() {
            return search(new BitSet(ops.size()), 0);
        }

        private boolean search(BitSet done, long state) {
            long minComplete = UNKNOWN;
            boolean knownLeft = false;
            for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                minComplete = Math.min(minComplete, ops.get(i).complete());
                knownLeft |= ops.get(i).complete() != UNKNOWN;
            }
            if (!knownLeft) {
                return true; // what is left may never have happened
            }
            for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                Op op = ops.get(i);
                if (op.invoke() > minComplete) {
                    break; // sorted by invoke: no later operation can come before the one that completed
                }
                long next;
                if (op.write()) {
                    next = op.value();
                } else if (op.value() == state) {
                    next = state;
                } else {
                    continue;
                }
                done.set(i);
                if (seen.add(new Explored((BitSet) done.clone(), next)) && search(done, next)) {
                    return true;
                }
                done.clear(i);
            }
            return false;
        }
    }
}
