package tansu.itests.jepsen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Unique-key writes: every acknowledged write must be in the final read, and nothing may be there
 * that no client wrote. A write of unknown outcome may be there or not.
 */
public final class SetChecker {

    private SetChecker() {
    }

    /** @param history the {@code add} operations (others are ignored); {@code present} the keys a final read found */
    public static List<String> anomalies(List<Op> history, Set<String> present) {
        Map<String, Op> adds = new HashMap<>();
        for (Op op : history) {
            if (op.f().equals("add")) {
                adds.put(op.key(), op);
            }
        }
        List<String> bad = new ArrayList<>();
        for (Op op : adds.values()) {
            if (op.outcome() == Op.Outcome.OK && !present.contains(op.key())) {
                bad.add("lost " + op.key());
            } else if (op.outcome() == Op.Outcome.FAIL && present.contains(op.key())) {
                bad.add("failed but present " + op.key());
            }
        }
        for (String key : new TreeSet<>(present)) {
            if (!adds.containsKey(key)) {
                bad.add("never written " + key);
            }
        }
        bad.sort(null);
        return bad;
    }
}
