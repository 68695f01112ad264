package tansu.itests.jepsen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lock holders that write to a shared record with their fencing token. Tokens are unique and grow
 * with the order of grants; no client believes it holds the lock while another has been granted it,
 * unless the node serving its stream was paused meanwhile (a paused node cannot warn: that is what
 * the token is for); and the record only ever moves to an equal or larger token, one write per value.
 */
public final class LockChecker {

    /**
     * One grant as its client saw it (System.nanoTime): asked at {@code requestedAt} through
     * {@code node}, granted at {@code grantedAt}, believed held until {@code endedAt} (release sent,
     * {@code lost} received or the stream gone).
     */
    public record Hold(int process, String node, long token, long requestedAt, long grantedAt, long endedAt) {
    }

    /** A time a node was paused (SIGSTOP to SIGCONT). */
    public record Pause(String node, long from, long to) {
    }

    /** A test-and-set of the record that succeeded: from value to value, each {@code token:count} ("" where absent). */
    public record RecordWrite(String from, String to) {
    }

    private LockChecker() {
    }

    static long token(String value) {
        return value.isEmpty() ? 0 : Long.parseLong(value.substring(0, value.indexOf(':')));
    }

    public static List<String> anomalies(List<Hold> holds, List<Pause> pauses, List<RecordWrite> writes) {
        List<String> bad = new ArrayList<>();
        Map<Long, Hold> byToken = new HashMap<>();
        for (Hold h : holds) {
            Hold other = byToken.putIfAbsent(h.token(), h);
            if (other != null) {
                bad.add("token " + h.token() + " granted twice: " + other + " and " + h);
            }
        }
        for (Hold x : holds) {
            for (Hold y : holds) {
                if (x.grantedAt() < y.requestedAt() && x.token() >= y.token()) {
                    bad.add("token " + y.token() + " granted after " + x.token() + " was: " + x + " then " + y);
                }
                if (x.token() < y.token() && y.grantedAt() < x.endedAt() && !paused(x, y.grantedAt(), pauses)) {
                    bad.add("two holders: " + y + " granted while " + x + " still held");
                }
            }
        }
        Map<String, RecordWrite> from = new HashMap<>();
        for (RecordWrite w : writes) {
            RecordWrite other = from.putIfAbsent(w.from(), w);
            if (other != null) {
                bad.add("two writes from record value '" + w.from() + "': " + other.to() + " and " + w.to());
            }
            if (token(w.to()) < token(w.from())) {
                bad.add("record went back from token " + token(w.from()) + " to " + token(w.to()));
            }
        }
        return bad;
    }

    private static boolean paused(Hold x, long until, List<Pause> pauses) {
        return pauses.stream().anyMatch(p -> p.node().equals(x.node()) && p.from() <= until && p.to() >= x.grantedAt());
    }
}
