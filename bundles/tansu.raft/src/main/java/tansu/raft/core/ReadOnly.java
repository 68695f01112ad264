package tansu.raft.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-index requests a leader holds until a heartbeat round confirms it is still the leader
 * (thesis 6.4). A quorum's acknowledgement of one request confirms every request made before it.
 */
final class ReadOnly {

    /** A heartbeat round for a request, the index a read must wait for once it is confirmed, and who confirmed. */
    record Pending(long round, long index, RaftCore.ReadRequest request, Set<String> acks) {
    }

    private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();

    void add(long round, long index, RaftCore.ReadRequest request, String self) {
        Set<String> acks = new HashSet<>();
        acks.add(self);
        pending.put(round, new Pending(round, index, request, acks));
    }

    /** The newest context awaiting confirmation, or 0. */
    long lastContext() {
        long last = 0;
        for (long c : pending.keySet()) {
            last = c;
        }
        return last;
    }

    /** Records {@code from}'s acknowledgement of {@code context}; answers who has acknowledged it. */
    Set<String> ack(long context, String from) {
        Pending p = pending.get(context);
        if (p == null) {
            return Set.of();
        }
        p.acks().add(from);
        return p.acks();
    }

    /** Removes and answers every request up to and including {@code context}, oldest first. */
    List<Pending> release(long context) {
        List<Pending> released = new ArrayList<>();
        if (!pending.containsKey(context)) {
            return released;
        }
        Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Pending p = it.next().getValue();
            it.remove();
            released.add(p);
            if (p.round() == context) {
                break;
            }
        }
        return released;
    }

    void clear() {
        pending.clear();
    }
}
