package tansu.kv.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.Applied;
import tansu.api.Consensus;
import tansu.api.Entry;
import tansu.api.StateMachine;
import tansu.api.kv.DeleteRequest;
import tansu.api.kv.KeyValue;
import tansu.api.kv.KeyValueStore;
import tansu.api.kv.KvResult;
import tansu.api.kv.PutRequest;
import tansu.api.kv.ReadResult;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

/**
 * The key-value store: the {@code kv} state machine the log is applied to, and the store API over it.
 * Writes become log entries; reads wait for the read barrier (unless local); watches follow the
 * revision history. Where this node leads, it also proposes the expiry of keys whose time is up.
 */
@Component(service = {StateMachine.class, KeyValueStore.class}, property = StateMachine.NAME + "=" + KeyValueStore.MACHINE,
    configurationPid = "tansu.kv")
@Designate(ocd = KvConfig.class)
public final class KvMachine implements StateMachine, KeyValueStore {

    private static final Logger LOG = LoggerFactory.getLogger(KvMachine.class);

    private final Consensus consensus;
    private final long timeoutMs;
    private final KvState state = new KvState();
    private final RevisionHistory history;
    private final ScheduledExecutorService expiry;
    private final Set<String> expiring = new HashSet<>();

    @Activate
    public KvMachine(@Reference Consensus consensus, KvConfig config) {
        this.consensus = consensus;
        this.timeoutMs = config.request_timeout_ms();
        this.history = new RevisionHistory(config.history_events(), config.history_bytes());
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tansu-kv-expiry");
            t.setDaemon(true);
            return t;
        });
        expiry.scheduleWithFixedDelay(this::proposeExpiries, config.expiry_check_ms(), config.expiry_check_ms(),
            TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        expiry.shutdownNow();
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
        synchronized (state) {
            state.snapshot(out);
        }
    }

    @Override
    public void restore(DataInput in) throws IOException {
        long revision;
        synchronized (state) {
            state.restore(in);
            revision = state.revision();
        }
        history.restart(revision);
    }

    @Override
    public void reset() {
        synchronized (state) {
            state.clear();
        }
        history.restart(0);
    }

    // ---- the store

    @Override
    public CompletionStage<KvResult> put(PutRequest request) {
        return write(new KvCommand.Put(request.key(), request.value(), request.ttl(), request.condition()));
    }

    @Override
    public CompletionStage<KvResult> delete(DeleteRequest request) {
        return write(new KvCommand.Delete(request.key(), request.condition()));
    }

    private CompletionStage<KvResult> write(KvCommand command) {
        return consensus.propose(MACHINE, KvCommand.encode(command))
            .toCompletableFuture()
            .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .thenApply(KvResult.class::cast);
    }

    @Override
    public CompletionStage<ReadResult> get(String key, boolean children, boolean local) {
        if (local) {
            return java.util.concurrent.CompletableFuture.completedFuture(read(key, children));
        }
        return consensus.readBarrier()
            .toCompletableFuture()
            .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .thenApply(ignored -> read(key, children));
    }

    private ReadResult read(String key, boolean children) {
        synchronized (state) {
            return new ReadResult(state.get(key), children ? state.children(key) : List.of(), state.revision());
        }
    }

    @Override
    public Watch watch(String key, boolean recursive, long after, Watcher watcher) {
        return history.watch(key, recursive, after, watcher);
    }

    @Override
    public long revision() {
        synchronized (state) {
            return state.revision();
        }
    }

    // ---- expiry, decided by the leader's clock and replicated as commands

    private void proposeExpiries() {
        try {
            if (!"leader".equals(consensus.status().role())) {
                return;
            }
            List<KeyValue> due;
            synchronized (state) {
                due = state.expiredAt(System.currentTimeMillis());
            }
            for (KeyValue kv : due) {
                String marker = kv.key() + "@" + kv.updated();
                synchronized (expiring) {
                    if (!expiring.add(marker)) {
                        continue;
                    }
                }
                write(new KvCommand.Expire(kv.key(), kv.updated())).whenComplete((r, e) -> {
                    synchronized (expiring) {
                        expiring.remove(marker);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("Expiry check failed", e);
        }
    }
}
