package tansu.counter.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.osgi.service.component.annotations.Component;

import tansu.api.Applied;
import tansu.api.Entry;
import tansu.api.StateMachine;

/** The {@code counter} state machine: each entry adds a delta to one counter and answers its new value. */
@Component(service = {StateMachine.class, CounterMachine.class}, property = StateMachine.NAME + "=" + CounterMachine.NAME)
public final class CounterMachine implements StateMachine {

    static final String NAME = "counter";

    private final CounterState state = new CounterState();

    static byte[] increment(String name, long delta) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(name);
            out.writeLong(delta);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Applied apply(Entry entry) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry.command()));
            String name = in.readUTF();
            long delta = in.readLong();
            synchronized (state) {
                return Applied.of(state.add(name, delta));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a counter command", e);
        }
    }

    Long get(String name) {
        synchronized (state) {
            return state.get(name);
        }
    }

    @Override
    public void snapshot(DataOutput out) throws IOException {
        synchronized (state) {
            state.snapshot(out);
        }
    }

    @Override
    public void restore(DataInput in) throws IOException {
        synchronized (state) {
            state.restore(in);
        }
    }

    @Override
    public void reset() {
        synchronized (state) {
            state.clear();
        }
    }
}
