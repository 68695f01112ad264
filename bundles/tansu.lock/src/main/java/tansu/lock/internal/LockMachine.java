package tansu.lock.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;

import tansu.api.Applied;
import tansu.api.Entry;
import tansu.api.StateMachine;
import tansu.api.lock.LockInfo;
import tansu.api.lock.LockService;

/**
 * The {@code lock} state machine. It depends on nothing, so consensus binds it whenever it appears;
 * {@link LockManager} reads it and hears what each entry did to the sessions.
 */
@Component(service = {StateMachine.class, LockMachine.class}, property = StateMachine.NAME + "=" + LockService.MACHINE)
public final class LockMachine implements StateMachine {

    private final LockState state = new LockState();
    private volatile Consumer<List<LockState.Event>> listener = events -> { };
    private volatile Runnable onRestore = () -> { };

    /** Hears the events of every applied entry, on the apply thread, in log order. */
    void listen(Consumer<List<LockState.Event>> events, Runnable restored) {
        this.listener = events;
        this.onRestore = restored;
    }

    @Override
    public Applied apply(Entry entry) {
        LockState.Outcome outcome;
        synchronized (state) {
            outcome = state.apply(LockCommand.decode(entry.command()), entry.index());
        }
        if (!outcome.events().isEmpty()) {
            listener.accept(outcome.events());
        }
        return Applied.of(outcome.result());
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
        onRestore.run();
    }

    @Override
    public void reset() {
        synchronized (state) {
            state.clear();
        }
        onRestore.run();
    }

    LockInfo info(String name) {
        synchronized (state) {
            return state.info(name);
        }
    }

    Map<String, Long> renewals() {
        synchronized (state) {
            return state.renewals();
        }
    }
}
