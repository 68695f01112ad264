package tansu.raft.core;

import java.util.Arrays;
import java.util.Collection;

/** Majority counting over a set of voters. */
final class MajorityQuorum {

    private MajorityQuorum() {
    }

    /** The largest index that a majority of {@code matched} (one per voter) has reached. */
    static long committedIndex(Collection<Long> matched) {
        if (matched.isEmpty()) {
            return 0;
        }
        long[] sorted = matched.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        // With n voters, the value at position n - (n/2 + 1) in ascending order is held by a majority.
        return sorted[sorted.length - (sorted.length / 2 + 1)];
    }
}
