package tansu.counter.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** The counters as of the applied log. Pure; the machine guards it. */
final class CounterState {

    /**
     * The snapshot format this version writes. Format 1 (a count, then name and value pairs) is the
     * only one so far; a later version of the plugin reads it still, which is what lets it be upgraded
     * in place.
     */
    static final int FORMAT = 1;

    private final Map<String, Long> counters = new TreeMap<>();

    /** Adds {@code delta} to {@code name} (a new counter starts at 0); answers the new value. */
    long add(String name, long delta) {
        return counters.merge(name, delta, Long::sum);
    }

    /** The value, or {@code null} for a counter never incremented. */
    Long get(String name) {
        return counters.get(name);
    }

    void snapshot(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(counters.size());
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    void restore(DataInput in) throws IOException {
        int format = in.readInt();
        if (format < 1 || format > FORMAT) {
            throw new IOException("counter snapshot format " + format + " is newer than this plugin (" + FORMAT + ")");
        }
        counters.clear();
        for (int n = in.readInt(); n > 0; n--) {
            counters.put(in.readUTF(), in.readLong());
        }
    }

    void clear() {
        counters.clear();
    }
}
