package tansu.itests.jepsen;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Linearizability of registers with read, write and test-and-set, key by key: Wing and Gong's search
 * with Lowe's memoization of (operations linearized, register value), as Knossos and Porcupine do.
 * An operation of unknown outcome may take effect at any point after it began, or never; a failed
 * test-and-set took effect as a read that saw another value; failed writes and unanswered reads say
 * nothing. Written values must be unique per key.
 */
public final class RegisterChecker {

    private RegisterChecker() {
    }

    /** The keys whose history has no linearization (empty: the whole history is linearizable). */
    public static List<String> anomalies(List<Op> history) {
        Map<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : history) {
            boolean says = switch (op.f()) {
                case "read" -> op.outcome() == Op.Outcome.OK;
                case "write" -> op.outcome() != Op.Outcome.FAIL;
                case "cas" -> true;
                default -> false;
            };
            if (says) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        List<String> bad = new ArrayList<>();
        byKey.forEach((key, ops) -> {
            // First as if unknown writes nobody saw never happened (almost always enough), then, for a
            // key that fails so, with those that could explain a failed test-and-set.
            if (!linearizable(withoutUnseenUnknowns(ops, false))) {
                try {
                    if (!linearizable(withoutUnseenUnknowns(ops, true))) {
                        bad.add(key);
                    }
                } catch (Undecided e) {
                    bad.add(key + " (undecided: " + e.getMessage() + ")");
                }
            }
        });
        return bad;
    }

    /** The search gave up: too many configurations to explore. */
    static final class Undecided extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Undecided(String message) {
            super(message);
        }
    }

    /** Configurations a search may explore before it gives up. */
    private static final int BUDGET = 5_000_000;

    /**
     * Leaves out writes of unknown outcome whose value nobody saw (no read returned it, no
     * test-and-set expected it) where no failed test-and-set ended after they began: all such a write could
     * do is set a value nothing observed, so "it never happened" explains the history as well as any
     * other. That keeps the search small where many requests timed out. A failed test-and-set may
     * need one to have happened (the value differed from what it expected): those are kept when
     * {@code keepThoseAFailedCasMayNeed}.
     */
    private static List<Op> withoutUnseenUnknowns(List<Op> ops, boolean keepThoseAFailedCasMayNeed) {
        Set<Long> seen = new HashSet<>();
        long lastFailedCasEnd = Long.MIN_VALUE;
        for (Op op : ops) {
            if (op.f().equals("read")) {
                seen.add(op.value());
            } else if (op.f().equals("cas")) {
                seen.add(op.expected());
                if (op.outcome() == Op.Outcome.FAIL) {
                    lastFailedCasEnd = Math.max(lastFailedCasEnd, op.complete());
                }
            }
        }
        List<Op> kept = new ArrayList<>();
        for (Op op : ops) {
            boolean unknownWrite = op.outcome() == Op.Outcome.UNKNOWN && !op.f().equals("read");
            if (unknownWrite && seen.contains(op.value())) {
                // Someone saw its unique value: it happened, at some time after it began.
                kept.add(new Op(op.process(), op.f(), op.key(), op.value(), op.expected(), op.invoke(), Op.NEVER, Op.Outcome.OK));
            } else if (!unknownWrite || keepThoseAFailedCasMayNeed && lastFailedCasEnd >= op.invoke()) {
                kept.add(op);
            }
        }
        return kept;
    }

    static boolean linearizable(List<Op> ops) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Op::invoke));
        return new Search(sorted).run(new BitSet(), 0, 0);
    }

    private static final class Search {
        private final List<Op> ops;
        private final int known;
        private final int[] order;
        private final Set<Explored> seen = new HashSet<>();

        private record Explored(BitSet done, long value) {
        }

        Search(List<Op> ops) {
            this.ops = ops;
            this.known = (int) ops.stream().filter(o -> o.outcome() != Op.Outcome.UNKNOWN).count();
            // Operations that completed are tried first, those still open at the end (never answered)
            // last: they go in only where what follows needs them, which finds a linearization fast.
            List<Integer> order = new ArrayList<>();
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < ops.size(); i++) {
                    if ((ops.get(i).complete() == Op.NEVER) == (pass == 1)) {
                        order.add(i);
                    }
                }
            }
            this.order = order.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Whether the operations not in {@code done} can follow, from a register holding {@code value}. */
        boolean run(BitSet done, long value, int knownDone) {
            if (knownDone == known) {
                return true; // what is left is unknown: it may never have happened
            }
            if (!seen.add(new Explored((BitSet) done.clone(), value))) {
                return false;
            }
            if (seen.size() > BUDGET) {
                throw new Undecided(BUDGET + " configurations of " + ops.size() + " operations explored");
            }
            // An operation can go next only if it began before every pending known one completed.
            long horizon = Long.MAX_VALUE;
            for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                if (ops.get(i).outcome() != Op.Outcome.UNKNOWN) {
                    horizon = Math.min(horizon, ops.get(i).complete());
                }
            }
            for (int i : order) {
                Op op = ops.get(i);
                if (done.get(i) || op.invoke() > horizon) {
                    continue;
                }
                long next;
                switch (op.f()) {
                    case "read" -> {
                        if (op.value() != value) {
                            continue;
                        }
                        next = value;
                    }
                    case "write" -> next = op.value();
                    default -> { // cas
                        boolean matches = value == op.expected();
                        if (op.outcome() == Op.Outcome.FAIL) {
                            if (matches) {
                                continue;
                            }
                            next = value;
                        } else {
                            if (!matches) {
                                continue;
                            }
                            next = op.value();
                        }
                    }
                }
                done.set(i);
                boolean found = run(done, next, knownDone + (op.outcome() == Op.Outcome.UNKNOWN ? 0 : 1));
                done.clear(i);
                if (found) {
                    return true;
                }
            }
            return false;
        }
    }
}
