package tansu.kv.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import tansu.api.Applied;
import tansu.api.Entry;
import tansu.api.StateMachine;
import tansu.api.kv.KeyValue;
import tansu.api.kv.KeyValueStore;
import tansu.api.kv.ReadResult;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

/**
 * The {@code kv} state machine: the keys as of the applied log, and the history of their changes.
 * It depends on nothing, so consensus can bind it whenever it appears; {@link KvStore} reads it.
 */
@Component(service = {StateMachine.class, KvMachine.class}, property = StateMachine.NAME + "=" + KeyValueStore.MACHINE,
    configurationPid = "tansu.kv")
@Designate(ocd = KvConfig.class)
public final class KvMachine implements StateMachine {

    private final KvState state = new KvState();
    private final RevisionHistory history;
    private final long historySnapshotBytes;

    @Activate
    public KvMachine(KvConfig config) {
        this.history = new RevisionHistory(config.history_events(), config.history_bytes());
        this.historySnapshotBytes = config.history_snapshot_bytes();
    }

    // ---- the state machine, on the consensus apply thread

    @Override
    public Applied apply(Entry entry) {
        Applied applied;
        synchronized (state) {
            applied = state.apply(KvCommand.decode(entry.command()), entry.timestamp());
        }
        history.append(applied.events());
        return applied;
    }

    @Override
    public void snapshot(DataOutput out) throws IOException {
        capture().writeTo(out);
    }

    @Override
    public Capture capture() {
        Capture keys;
        synchronized (state) {
            keys = state.capture();
        }
        // The changes before it too, so that a node restored from it resumes the same watches as this
        // one (the driver thread alone applies, so nothing changes in between).
        Capture changes = history.capture(historySnapshotBytes);
        return out -> {
            keys.writeTo(out);
            changes.writeTo(out);
        };
    }

    @Override
    public void restore(DataInput in) throws IOException {
        long revision;
        synchronized (state) {
            state.restore(in);
            revision = state.revision();
        }
        try {
            history.read(in, revision);
        } catch (EOFException before) {
            // A snapshot from before the history was part of it.
            history.restart(revision);
        }
    }

    @Override
    public void reset() {
        synchronized (state) {
            state.clear();
        }
        history.restart(0);
    }

    // ---- reads, from any thread

    ReadResult read(String key, boolean children) {
        synchronized (state) {
            return new ReadResult(state.get(key), children ? state.children(key) : List.of(), state.revision());
        }
    }

    List<KeyValue> expiredAt(long now) {
        synchronized (state) {
            return state.expiredAt(now);
        }
    }

    long revision() {
        synchronized (state) {
            return state.revision();
        }
    }

    Watch watch(String key, boolean recursive, long after, Watcher watcher) {
        return history.watch(key, recursive, after, watcher);
    }
}
