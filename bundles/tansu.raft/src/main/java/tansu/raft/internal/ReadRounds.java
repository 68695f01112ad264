package tansu.raft.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Linearizable reads waiting for a read index, gathered into rounds: one read-index request (and on the
 * leader one heartbeat round) confirms every read that arrived before it was asked, as etcd's server does.
 * While a round is out, new reads wait for the next one, which leaves when it comes back; a round that
 * has not come back within its patience no longer holds the next one back (it may have been lost with
 * a leader), and one past its deadline fails its reads. A read never joins a round asked before it
 * arrived: that round's answer may predate writes the reader already saw.
 *
 * <p>Pure bookkeeping, times in nanoseconds as given; used from the driver thread only.
 *
 * @param <R> what stands for one waiting read
 */
final class ReadRounds<R> {

    private final long patienceNanos;
    private final long deadlineNanos;
    private List<R> gathering = new ArrayList<>();
    private final Map<Long, List<R>> out = new HashMap<>();
    /** Deadline of each round out, by context; contexts grow, so deadlines do too. */
    private final NavigableMap<Long, Long> deadlines = new TreeMap<>();
    private long nextContext = 1;
    private long lastContext;
    private long lastAskedAt;

    ReadRounds(long patienceNanos, long deadlineNanos) {
        this.patienceNanos = patienceNanos;
        this.deadlineNanos = deadlineNanos;
    }

    void add(R read) {
        gathering.add(read);
    }

    /**
     * The context of a new round holding every read gathered so far, or 0 when none waits or the last
     * round is still out within its patience.
     */
    long nextRound(long now) {
        if (gathering.isEmpty() || (out.containsKey(lastContext) && now - lastAskedAt < patienceNanos)) {
            return 0;
        }
        long context = nextContext++;
        out.put(context, gathering);
        deadlines.put(context, now + deadlineNanos);
        gathering = new ArrayList<>();
        lastContext = context;
        lastAskedAt = now;
        return context;
    }

    /** The reads of a round that was answered, or was refused before it left; none for an unknown context. */
    List<R> close(long context) {
        deadlines.remove(context);
        List<R> reads = out.remove(context);
        return reads != null ? reads : List.of();
    }

    /** The reads of every round past its deadline, now given up. */
    List<R> expire(long now) {
        List<R> expired = new ArrayList<>();
        while (!deadlines.isEmpty() && deadlines.firstEntry().getValue() - now < 0) {
            expired.addAll(out.remove(deadlines.pollFirstEntry().getKey()));
        }
        return expired;
    }

    /** Every read, gathering or out, now given up. */
    List<R> clear() {
        List<R> all = new ArrayList<>(gathering);
        out.values().forEach(all::addAll);
        gathering = new ArrayList<>();
        out.clear();
        deadlines.clear();
        return all;
    }
}
