package tansu.api;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A replicated state machine: a whiteboard service, found by the consensus bundle through its
 * {@link #NAME} service property, that applies the committed log entries addressed to it.
 *
 * <p>Replicas stay identical only if {@link #apply} is a pure function of the machine's state and the
 * entry: no clock (use {@link Entry#timestamp()}, stamped by the leader), no randomness, no I/O, no
 * output that depends on hash iteration order. {@code apply}, {@code snapshot}, {@code capture} and
 * {@code restore} are called from one thread, in log order.
 */
public interface StateMachine {

    /** Service property naming the machine; log entries carry this name. */
    String NAME = "tansu.machine";

    /** Applies one committed entry and returns what the proposer is answered and what changed. */
    Applied apply(Entry entry);

    /** Writes the machine's whole state, starting with a format version of its own choosing. */
    void snapshot(DataOutput out) throws IOException;

    /**
     * The machine's whole state as it is now, written later, on another thread, while this one goes on
     * applying: what {@link #snapshot} would write now. Applying waits while it is taken, so a machine
     * with much state takes references to immutable parts here and writes them in the capture. The
     * default writes the state at once.
     */
    default Capture capture() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        snapshot(new DataOutputStream(bytes));
        byte[] state = bytes.toByteArray();
        return out -> out.write(state);
    }

    /** A state taken by {@link #capture}: writes it, once, on a thread other than the applying one. */
    @FunctionalInterface
    interface Capture {
        void writeTo(DataOutput out) throws IOException;
    }

    /** Replaces the machine's whole state with one written by {@link #snapshot}, of this or an older format. */
    void restore(DataInput in) throws IOException;

    /** Forgets all state: the machine is about to be rebuilt from the start of the log. */
    void reset();
}
