package tansu.kv.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.Consensus;
import tansu.api.kv.DeleteRequest;
import tansu.api.kv.KeyValue;
import tansu.api.kv.KeyValueStore;
import tansu.api.kv.KvResult;
import tansu.api.kv.PutRequest;
import tansu.api.kv.ReadResult;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

/**
 * The key-value store over consensus: writes become log entries for the {@code kv} machine, reads
 * wait for the read barrier (unless local), watches follow the machine's history. Where this node
 * leads, it also proposes the expiry of keys whose time is up, by its own clock.
 */
@Component(configurationPid = "tansu.kv")
public final class KvStore implements KeyValueStore {

    private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);

    /** How late past its timeout a request may fail. */
    private static final long SWEEP_MS = 100;

    private final Consensus consensus;
    private final KvMachine machine;
    private final Deadlines deadlines;
    private final ScheduledExecutorService expiry;
    private final Set<String> expiring = new HashSet<>();

    @Activate
    public KvStore(@Reference Consensus consensus, @Reference KvMachine machine, KvConfig config) {
        this.consensus = consensus;
        this.machine = machine;
        this.deadlines = new Deadlines(TimeUnit.MILLISECONDS.toNanos(config.request_timeout_ms()));
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tansu-kv-expiry");
            t.setDaemon(true);
            return t;
        });
        expiry.scheduleWithFixedDelay(this::proposeExpiries, config.expiry_check_ms(), config.expiry_check_ms(),
            TimeUnit.MILLISECONDS);
        expiry.scheduleWithFixedDelay(this::failLateRequests, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        expiry.shutdownNow();
    }

    @Override
    public CompletionStage<KvResult> put(PutRequest request) {
        return write(putCommand(request), false);
    }

    @Override
    public CompletionStage<KvResult> delete(DeleteRequest request) {
        return write(deleteCommand(request), false);
    }

    @Override
    public CompletionStage<KvResult> putDirect(PutRequest request) {
        return write(putCommand(request), true);
    }

    @Override
    public CompletionStage<KvResult> deleteDirect(DeleteRequest request) {
        return write(deleteCommand(request), true);
    }

    private static KvCommand putCommand(PutRequest request) {
        return new KvCommand.Put(request.key(), request.value(), request.ttl(), request.condition());
    }

    private static KvCommand deleteCommand(DeleteRequest request) {
        return new KvCommand.Delete(request.key(), request.condition());
    }

    /** With {@code direct}, the caller's continuations never wait, so consensus may complete them on its own thread. */
    private CompletionStage<KvResult> write(KvCommand command, boolean direct) {
        byte[] encoded = KvCommand.encode(command);
        CompletionStage<Object> proposed = direct ? consensus.proposeDirect(MACHINE, encoded) : consensus.propose(MACHINE, encoded);
        return deadlines.watch(proposed.toCompletableFuture(), System.nanoTime())
            .thenApply(KvResult.class::cast);
    }

    @Override
    public CompletionStage<ReadResult> get(String key, boolean children, boolean local) {
        if (local) {
            return CompletableFuture.completedFuture(machine.read(key, children));
        }
        return deadlines.watch(consensus.readBarrier().toCompletableFuture(), System.nanoTime())
            .thenApply(ignored -> machine.read(key, children));
    }

    @Override
    public Watch watch(String key, boolean recursive, long after, Watcher watcher) {
        return machine.watch(key, recursive, after, watcher);
    }

    @Override
    public long revision() {
        return machine.revision();
    }

    private void failLateRequests() {
        try {
            deadlines.sweep(System.nanoTime());
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again.
            LOG.warn("Timeout sweep failed", e);
        }
    }

    private void proposeExpiries() {
        try {
            if (!"leader".equals(consensus.status().role())) {
                return;
            }
            List<KeyValue> due = machine.expiredAt(System.currentTimeMillis());
            for (KeyValue kv : due) {
                String marker = kv.key() + "@" + kv.updated();
                synchronized (expiring) {
                    if (!expiring.add(marker)) {
                        continue;
                    }
                }
                write(new KvCommand.Expire(kv.key(), kv.updated()), false).whenComplete((r, e) -> {
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
