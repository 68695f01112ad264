package tansu.lock.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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

import tansu.api.Consensus;
import tansu.api.lock.LockInfo;
import tansu.api.lock.LockListener;
import tansu.api.lock.LockService;
import tansu.api.lock.LockSession;

/**
 * Locks over consensus. Each client session lives in the {@code lock} machine; this node renews the
 * sessions it serves through the log, and tells a session's client the lock is lost once it could not
 * renew it for the lease minus a margin, measured from the moment it sent the last renewal that went
 * through: the leader expires a session only a whole lease after it saw its last renewal applied (or
 * after it became leader), which is later. Where this node leads, it proposes those expiries.
 */
@Component(configurationPid = "tansu.lock")
@Designate(ocd = LockConfig.class)
public final class LockManager implements LockService {

    private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);

    private final Consensus consensus;
    private final LockMachine machine;
    private final long leaseNanos;
    /** How long before the leader could expire it a session is given up here: clock rates and scheduling. */
    private final long marginNanos;
    private final long timeoutMs;
    private final ScheduledExecutorService timer;
    private final Map<String, Local> local = new ConcurrentHashMap<>();
    /** On the timer thread: when each session was last seen renewed, which a leader expires it by. */
    private final LeaseClock leases;
    private final Set<String> expiring = ConcurrentHashMap.newKeySet();
    private boolean leading;
    private long leaderSince;

    @Activate
    public LockManager(@Reference Consensus consensus, @Reference LockMachine machine, LockConfig config) {
        this.consensus = consensus;
        this.machine = machine;
        this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(config.lease_ms());
        this.marginNanos = Math.max(leaseNanos / 5, TimeUnit.MILLISECONDS.toNanos(500));
        this.timeoutMs = config.request_timeout_ms();
        this.leases = new LeaseClock(leaseNanos);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tansu-lock");
            t.setDaemon(true);
            return t;
        });
        machine.listen(this::onEvents, this::onRestore);
        timer.scheduleWithFixedDelay(this::renew, config.renew_ms(), config.renew_ms(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        machine.listen(events -> { }, () -> { });
        timer.shutdownNow();
        local.values().forEach(s -> s.lose("this node's lock service stopped"));
    }

    @Override
    public LockSession session(LockListener listener) {
        return new Local(UUID.randomUUID().toString(), listener);
    }

    @Override
    public CompletionStage<Boolean> release(String name, long token) {
        return propose(new LockCommand.Release(name, token)).thenApply(r -> ((LockState.Release) r).released());
    }

    @Override
    public CompletionStage<LockInfo> peek(String name) {
        return consensus.readBarrier().toCompletableFuture()
            .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .thenApply(ignored -> machine.info(name));
    }

    private CompletableFuture<Object> propose(LockCommand command) {
        try {
            return consensus.propose(MACHINE, LockCommand.encode(command)).toCompletableFuture()
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- on the apply thread: never blocks

    private void onEvents(List<LockState.Event> events) {
        for (LockState.Event e : events) {
            Local s = local.get(e.session());
            if (s == null) {
                continue;
            }
            if (e instanceof LockState.Granted g) {
                s.listener.granted(g.name(), g.token());
            } else if (e instanceof LockState.Waiting w) {
                s.listener.waiting(w.name(), w.holder(), w.position());
            } else if (e instanceof LockState.Ended ended && ended.how().equals("released")) {
                s.listener.released(ended.name(), ended.token());
            } else if (e instanceof LockState.Ended ended && ended.how().equals("expired")) {
                s.lose("the session expired: the cluster did not hear it renewed for a lease");
            }
        }
    }

    private void onRestore() {
        Map<String, Long> sessions = machine.renewals();
        for (Local s : local.values()) {
            if (!sessions.containsKey(s.id) && s.asked) {
                s.lose("the session is gone from the state this node restored");
            }
        }
    }

    // ---- on the timer thread

    private void renew() {
        try {
            List<String> ids = local.values().stream().filter(s -> s.asked).map(s -> s.id).toList();
            String node = consensus.status().id();
            if (ids.isEmpty() || node == null) {
                return;
            }
            long sent = System.nanoTime();
            propose(new LockCommand.Renew(node, ids)).whenComplete((result, failure) -> {
                if (failure != null) {
                    // Sessions at risk: what failed tells a lost leader from a stalled commit.
                    LOG.info("Renewing {} lock sessions failed after {} ms: {}", ids.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent), failure.toString());
                    return;
                }
                long took = System.nanoTime() - sent;
                if (took > leaseNanos / 4) {
                    LOG.info("Renewing {} lock sessions took {} ms", ids.size(), TimeUnit.NANOSECONDS.toMillis(took));
                }
                List<String> unknown = ((LockState.Renewal) result).unknown();
                for (String id : ids) {
                    Local s = local.get(id);
                    if (s == null) {
                        continue;
                    }
                    if (unknown.contains(id)) {
                        s.lose("the session expired before this node could renew it");
                    } else {
                        s.validUntil = Math.max(s.validUntil, sent + leaseNanos - marginNanos);
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Renewing lock sessions failed", e);
        }
    }

    private void check() {
        try {
            long now = System.nanoTime();
            for (Local s : local.values()) {
                if (now - s.validUntil > 0) {
                    s.lose("this node could not renew the session within its lease: the lock may be granted to another");
                    propose(new LockCommand.Close(s.id));
                }
            }
            if (!"leader".equals(consensus.status().role())) {
                leading = false;
                return;
            }
            if (!leading) {
                leading = true;
                leaderSince = now;
            }
            // Timed from what this thread sees of the state, never from the apply thread's events: a
            // session it sees before the events that made or renewed it were heard would otherwise
            // count from long ago, and a waiter just queued would expire at once.
            for (LeaseClock.Due due : leases.due(machine.renewals(), leaderSince, now)) {
                String id = due.session();
                if (expiring.add(id)) {
                    LOG.info("Lock session {} expires: not renewed for {} ms", id, TimeUnit.NANOSECONDS.toMillis(due.sinceNanos()));
                    propose(new LockCommand.Expire(id, due.renewals())).whenComplete((r, e) -> expiring.remove(id));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Lock lease check failed", e);
        }
    }

    /** A session this node serves. */
    private final class Local implements LockSession {
        final String id;
        final LockListener listener;
        /** Until when (System.nanoTime) the cluster cannot have expired it. */
        volatile long validUntil;
        /** Whether its request was proposed: renewals carry only those, so they never overtake it. */
        volatile boolean asked;
        private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

        Local(String id, LockListener listener) {
            this.id = id;
            this.listener = listener;
            this.validUntil = System.nanoTime() + leaseNanos - marginNanos;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void acquire(String name, boolean wait) {
            String node = consensus.status().id();
            if (node == null) {
                lose("this node is in no cluster yet");
                return;
            }
            if (!asked) {
                // The lease counts from the first request: it is sent now.
                validUntil = System.nanoTime() + leaseNanos - marginNanos;
            }
            local.putIfAbsent(id, this);
            CompletableFuture<Object> request = propose(new LockCommand.Acquire(id, node, name, wait));
            // Renewals name it from now on: they reach the log after the request does.
            asked = true;
            request.whenComplete((result, failure) -> {
                if (failure != null) {
                    lose("the cluster could not be asked: " + failure.getMessage());
                    propose(new LockCommand.Close(id));
                } else if (result instanceof LockState.Busy busy) {
                    listener.busy(name, busy.holder(), busy.token());
                }
            });
        }

        /** The session is over here; nothing more is told. */
        boolean end() {
            local.remove(id);
            return over.compareAndSet(false, true);
        }

        void lose(String reason) {
            if (end()) {
                LOG.info("Lock session {} lost: {}", id, reason);
                listener.lost(reason);
            }
        }

        @Override
        public void close() {
            if (end()) {
                // Why a session ends, at debug: a waiter that was never told anything is otherwise
                // impossible to tell from one the cluster forgot.
                LOG.debug("Lock session {} closed by its client", id);
                propose(new LockCommand.Close(id));
            }
        }
    }
}
