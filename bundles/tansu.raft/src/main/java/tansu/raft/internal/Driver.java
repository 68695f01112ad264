package tansu.raft.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.Applied;
import tansu.api.Entry;
import tansu.api.NoLeaderException;
import tansu.api.NodeStatus;
import tansu.api.StateMachine;
import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.RaftStorage;
import tansu.api.storage.Snapshot;
import tansu.api.storage.StoredState;
import tansu.raft.core.Configuration;
import tansu.raft.core.Message;
import tansu.raft.core.Proposal;
import tansu.raft.core.ProposalDroppedException;
import tansu.raft.core.RaftConfig;
import tansu.raft.core.RaftCore;
import tansu.raft.core.ReadState;
import tansu.raft.core.Ready;

/**
 * The one thread that owns a node's {@link RaftCore}. Other threads hand it work through
 * {@link #execute}; it ticks the core, persists each ready batch (one fsync for every proposal that
 * arrived meanwhile: group commit), applies committed entries to the state machines and completes
 * the waiting requests on the completion executor; only a round's few direct requests (whose callers
 * promise continuations that never wait) complete on its own thread.
 */
final class Driver implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Driver.class);

    private final RaftStorage storage;
    private final RaftNodeConfig config;
    private final Executor completions;
    /** Encodes and stores the node's own snapshots, off this thread. */
    private final Executor snapshots;
    /** Peers known by name, and peers under injected faults: sender threads. */
    private final PeerTransport transport;
    /** Every other peer: this thread's own sockets, waited on together with the inbox. */
    private final PeerChannels channels;
    /** Peers' batches straight to this thread; {@code null} where peers use the HTTP port only. */
    private final PeerServer server;
    private final AddressBook book;
    /** What answered at each address of the member list: null until something did. */
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final MachineSet machines = new MachineSet(this::storedParts);
    private final PeerAnswers answering = new PeerAnswers();
    private final LeadershipLog leadership = new LeadershipLog();
    private final RetiredMembers retired = new RetiredMembers();

    private volatile boolean running = true;
    private volatile NodeStatus status;
    private volatile List<tansu.api.Member> memberView = List.of();

    // Everything below belongs to the driver thread.
    private RaftCore core;
    private String nodeId;
    private String clusterId;
    private final List<Proposal> proposing = new ArrayList<>();
    /**
     * Requests proposed here, oldest first, until their entry is applied. A proposal the leader never
     * appended (lost with a leader that vanished) is failed after a while rather than kept forever.
     */
    private final java.util.LinkedHashMap<Long, Waiting> waiting = new java.util.LinkedHashMap<>();

    /** A client's request, since when it waits, and whether it may complete on this thread. */
    private record Waiting(CompletableFuture<Object> future, long since, boolean direct) {
    }

    /**
     * At most this many direct requests of one round complete on the driver thread: each costs its
     * caller's continuation (at the HTTP API, a response written to a socket) on the thread every
     * other write waits for, so a round of more goes to the completion threads, which write in parallel.
     */
    static final int MAX_DIRECT_COMPLETIONS = 4;
    /** Direct requests applied in this round, with their results (driver thread). */
    private final List<Done> directlyDone = new ArrayList<>();

    /** A request's entry applied, and what its machine answered. */
    private record Done(CompletableFuture<Object> future, Object result) {
    }
    /** Reads awaiting their index; a round that a vanished leader never answers gives up. */
    private final ReadRounds<CompletableFuture<Void>> readRounds;
    private final NavigableMap<Long, List<CompletableFuture<Void>>> readsAwaitingApply = new TreeMap<>();
    private final ArrayDeque<LogEntry> toApply = new ArrayDeque<>();
    private long nextRequestId = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE / 2);
    private long applied;
    private long snapshotIndex;
    /** Bytes of commands applied since the last snapshot: the log holds them in memory until then. */
    private long bytesSinceSnapshot;
    private long lastSnapshotNanos = System.nanoTime();
    /** The newest snapshot's size: the log grows to a multiple of it before the next ({@link SnapshotPolicy}). */
    private long lastSnapshotBytes;
    private final SnapshotPolicy snapshotPolicy;
    /** Whether a snapshot taken here is being stored: one at a time. */
    private boolean storingSnapshot;
    private HardStatePacing hardStates;

    Driver(RaftStorage storage, RaftNodeConfig config, Executor completions, Executor snapshots, AddressBook book,
           java.util.function.Function<Driver, PeerTransport> transport) {
        this.storage = storage;
        this.config = config;
        this.completions = completions;
        this.snapshots = snapshots;
        this.book = book;
        this.transport = transport.apply(this);
        try {
            this.channels = new PeerChannels(book, this::self, this::receiveAnswer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no selector for the peer connections", e);
        }
        this.server = PeerServer.open(config.peer_port(), channels, this::self, this::refusal, batch -> receive(batch, true));
        this.snapshotPolicy = new SnapshotPolicy(config.snapshot_entries(), config.snapshot_bytes(),
            config.snapshot_log_ratio(), TimeUnit.SECONDS.toNanos(config.snapshot_interval_s()));
        this.readRounds = new ReadRounds<>(TimeUnit.MILLISECONDS.toNanos(config.heartbeat_ms()),
            TimeUnit.MILLISECONDS.toNanos(2L * config.election_ms()));
        machines.add(RetiredMembers.NAME, retired);
        this.status = new NodeStatus(null, null, config.env(), "follower", 0, 0, 0, null, 0, Map.of(), Map.of());
    }

    // ---- called from any thread

    void execute(Runnable task) {
        inbox.add(task);
        channels.wakeup();
    }

    /** With {@code direct}, the caller's continuations never wait: they may run on the driver thread. */
    CompletableFuture<Object> propose(String machine, byte[] command, boolean direct) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        execute(() -> {
            long requestId = nextRequestId++;
            waiting.put(requestId, new Waiting(result, System.nanoTime(), direct));
            proposing.add(new Proposal(machine, nodeId, requestId, command, 0));
        });
        return result;
    }

    CompletableFuture<Void> readBarrier() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        execute(() -> readRounds.add(result));
        return result;
    }

    void addMachine(String name, StateMachine machine) {
        execute(() -> {
            if (machines.add(name, machine)) {
                rebuild(name);
                // At once, not at the next tick: the machine already answers, and the node's picture
                // (what it holds entries for) must not say otherwise.
                publishStatus();
            }
        });
    }

    void removeMachine(String name, StateMachine machine) {
        execute(() -> {
            machines.remove(name, machine);
            publishStatus();
        });
    }

    NodeStatus status() {
        return status;
    }

    List<tansu.api.Member> members() {
        return memberView;
    }

    /**
     * Steps a membership request or a transfer into the core (which forwards it to the leader where
     * this node does not lead); completes once it is taken.
     */
    CompletableFuture<Void> admin(Message request) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        execute(() -> {
            RuntimeException failure = null;
            try {
                core.step(request);
            } catch (ProposalDroppedException e) {
                failure = core.leader() == null ? new NoLeaderException(e.getMessage()) : new IllegalStateException(e.getMessage());
            }
            RuntimeException f = failure;
            completions.execute(() -> {
                if (f == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(f);
                }
            });
        });
        return result;
    }

    /** Who answers at {@code host:port} (blocking: not for the driver thread). */
    PeerCodec.Header whoIs(String host, int port) {
        return transport.hello(host, port);
    }

    // ---- peers, from any thread

    /** This node as it introduces itself to peers. */
    PeerCodec.Header self() {
        String cluster = clusterIdSeen == null ? "" : clusterIdSeen;
        String id = nodeIdSeen == null ? "" : nodeIdSeen;
        Founding.Stance stance = stanceSeen;
        Map<String, String> members = memberAddresses;
        PeerCodec.Header last = selfSaid;
        // Every batch and answer carries it: made anew only when something in it changed.
        if (last == null || !last.cluster().equals(cluster) || !last.node().equals(id) || last.stance() != stance
            || last.members() != members) {
            last = new PeerCodec.Header(cluster, config.env(), id, config.host(), config.port(), stance, members);
            selfSaid = last;
        }
        return last;
    }

    /** The header {@link #self} made last (any thread). */
    private volatile PeerCodec.Header selfSaid;

    private volatile String clusterIdSeen;
    private volatile Founding.Stance stanceSeen = Founding.Stance.NONE;
    /** Where this node knows its cluster's members answer: told to every peer in every header. */
    private volatile Map<String, String> memberAddresses = Map.of();
    /** While this node is in no cluster: its part in founding one. */
    private Founding founding;
    private volatile String nodeIdSeen;

    /**
     * Asks for a round of introductions now, not at the next scheduled one: a fresh node whose stance
     * changed tells its peers at once, so founding takes a few round trips instead of a few rounds.
     */
    private volatile Runnable introduceNow = () -> { };

    void onStanceChange(Runnable introduce) {
        introduceNow = introduce;
    }

    /** A node in no cluster yet: founding one takes a few exchanges of introductions. */
    boolean inNoCluster() {
        return clusterIdSeen == null;
    }

    String refusal(PeerCodec.Header header) {
        if (!header.env().equals(config.env())) {
            return "this node is of environment " + config.env() + ", not " + header.env();
        }
        String cluster = clusterIdSeen;
        if (cluster != null && !header.cluster().isEmpty() && !header.cluster().equals(cluster)) {
            return "this node is of cluster " + cluster + ", not " + header.cluster();
        }
        return null;
    }

    /**
     * Hands a peer's batch to the driver. With {@code answerable}, the peer waits for an answer: the
     * future completes with what the driver sends that peer right after handling the batch (its
     * answers to appends, after the fsync), which then travels in the response rather than in a
     * request of its own; it completes empty where the batch asks for nothing at once.
     */
    CompletableFuture<List<Message.Peer>> receive(PeerCodec.Batch batch, boolean answerable) {
        book.learn(batch.header());
        if (clusterIdSeen == null) {
            execute(() -> observe(batch.header()));
        }
        if (batch.messages().isEmpty()) {
            return NO_ANSWER;
        }
        CompletableFuture<List<Message.Peer>> answer = answerable ? new CompletableFuture<>() : NO_ANSWER;
        execute(() -> {
            boolean awaited = false;
            if (clusterId != null || join(batch)) {
                awaited = answer != NO_ANSWER && answering.await(batch.header().node(), answer);
                for (Message.Peer m : batch.messages()) {
                    stepPeer(m);
                }
            }
            if (!awaited) {
                // Not answerable, not joined, or another batch of the same peer carries the answers.
                answer.complete(List.of());
            }
        });
        return answer;
    }

    /** The port of this node's {@link PeerServer}, or 0 where it has none. */
    int peerPort() {
        return server == null ? 0 : server.port();
    }

    /** Messages a peer answered in a response, refused as a batch of its own would be where foreign. */
    void receiveAnswer(PeerCodec.Batch answer) {
        if (refusal(answer.header()) == null) {
            receive(answer, false);
        }
    }

    private static final CompletableFuture<List<Message.Peer>> NO_ANSWER = CompletableFuture.completedFuture(List.of());

    /** What the driver sends: to a peer waiting for answers in its response, else on a connection. */
    private void send(List<Message.Peer> messages) {
        dispatch(answering.route(messages, transport::faulty));
    }

    /** Sends {@code messages} on this thread's connections, or by sender threads where they cannot go there. */
    private void dispatch(List<Message.Peer> messages) {
        List<Message.Peer> byThreads = null;
        List<Message.Peer> byChannels = new ArrayList<>(messages.size());
        for (Message.Peer m : messages) {
            if (transport.faulty(m.to()) || !channels.reaches(m.to())) {
                if (byThreads == null) {
                    byThreads = new ArrayList<>();
                }
                byThreads.add(m);
            } else {
                byChannels.add(m);
            }
        }
        channels.send(byChannels);
        if (byThreads != null) {
            transport.send(byThreads);
        }
    }

    void faults(TransportFaults faults) {
        transport.faults(faults);
    }

    /** Introduces this node to every address discovery gives; what answers becomes known. */
    void helloMembers(java.util.Set<String> addresses) {
        for (String a : addresses) {
            int colon = a.lastIndexOf(':');
            if (colon > 0) {
                try {
                    PeerCodec.Header answer = transport.hello(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
                    if (answer != null && clusterIdSeen == null) {
                        execute(() -> observe(answer));
                    }
                } catch (NumberFormatException notAnAddress) {
                    LOG.warn("Discovery gave '{}', which is not host:port", a);
                }
            }
        }
    }

    void stop() {
        running = false;
        execute(() -> { });
    }

    // ---- the driver thread

    @Override
    public void run() {
        try {
            start();
            long tickNanos = TimeUnit.MILLISECONDS.toNanos(config.tick_ms());
            long nextTick = System.nanoTime() + tickNanos;
            while (running) {
                channels.await(nextTick - System.nanoTime(), inbox::isEmpty);
                Runnable task = inbox.poll();
                while (task != null && running) {
                    task.run();
                    task = inbox.poll();
                }
                flushProposals();
                flushReads();
                long now = System.nanoTime();
                if (now >= nextTick) {
                    maybeBootstrap();
                    manageMembership();
                    saveMemberAddresses();
                    expireReads();
                    expireProposals();
                    core.tick();
                    saveCommitIfDue();
                    // Once a tick, not on every batch: the write path need not rebuild the node's picture.
                    publishStatus();
                    // After a long pause (GC, SIGSTOP) tick once, not once per missed tick.
                    nextTick = Math.max(nextTick + tickNanos, now);
                }
                handleReady();
                logLeadership();
                answering.answer(this::dispatch);
                applyCommitted();
                maybeSnapshot();
            }
            // A node stopped on purpose starts again from where it had applied.
            HardState unstored = hardStates.unstored();
            if (unstored != null) {
                storage.append(unstored, List.of());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Raft driver stopped: storage, state machine or selector failure; this node no longer takes part", e);
        } finally {
            answering.answer(unsent -> { });
            transport.close();
            if (server != null) {
                server.close();
            }
            channels.close();
            failAll(new NoLeaderException("this node is shutting down"));
        }
    }

    private void start() throws IOException {
        StoredState stored = storage.load();
        nodeId = stored.nodeId();
        clusterId = stored.clusterId();
        nodeIdSeen = nodeId;
        HardState hardState = stored.hardState();
        List<LogEntry> entries = stored.entries();
        if (clusterId == null && stored.snapshot() == null && entries.isEmpty() && config.bootstrap_expect() == 1) {
            clusterId = UUID.randomUUID().toString();
            storage.saveClusterId(clusterId);
            LogEntry first = new LogEntry(1, 1, System.currentTimeMillis(), LogEntry.Type.CONFIGURATION, "", nodeId,
                0, Configuration.ofVoters(nodeId).encode());
            hardState = new HardState(1, null, 1);
            entries = List.of(first);
            storage.append(hardState, entries);
            LOG.info("Bootstrapped cluster {} with this node ({}) as its only voter", clusterId, nodeId);
        }
        clusterIdSeen = clusterId;
        stored.peers().forEach((id, address) -> {
            int colon = address.lastIndexOf(':');
            book.remember(id, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            savedAddresses.put(id, address);
        });
        if (stored.snapshot() != null) {
            machines.installSnapshot(SnapshotCodec.decode(stored.snapshot().data()));
            applied = stored.snapshot().index();
            snapshotIndex = applied;
            lastSnapshotBytes = stored.snapshot().data().length;
        }
        core = new RaftCore(nodeId, raftConfig(), hardState, stored.snapshot(), entries);
        hardStates = new HardStatePacing(COMMIT_SAVE_NANOS, hardState, System.nanoTime());
        Configuration configuration = core.configuration();
        if (configuration.voters().equals(List.of(nodeId))) {
            // A single voter need not wait out an election timeout to know it wins.
            core.step(new Message.Hup());
        } else if (configuration.voters().isEmpty() && clusterId == null) {
            LOG.info("Node {} waits for {} nodes to form a cluster", nodeId, config.bootstrap_expect());
            founding = new Founding(nodeId, config.bootstrap_expect(), System.currentTimeMillis());
        }
        LOG.info("Node {} of cluster {} started: term {}, log {}..{}, snapshot at {}", nodeId, clusterId,
            core.term(), snapshotIndex + 1, core.lastIndex(), snapshotIndex);
        publishStatus();
    }

    private RaftConfig raftConfig() {
        return new RaftConfig(Math.max(2, config.election_ms() / config.tick_ms()),
            Math.max(1, config.heartbeat_ms() / config.tick_ms()), nodeId.hashCode() ^ System.nanoTime());
    }

    /** How recently a peer must have been heard from to count when fresh nodes found a cluster. */
    private static final long FOUNDING_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A fresh node founds the cluster with the nodes that pledged to it (see {@link Founding}). */
    private void maybeBootstrap() throws IOException {
        if (clusterId != null || founding == null) {
            return;
        }
        List<Founding.Peer> peers = new ArrayList<>();
        for (AddressBook.Entry e : book.recent(config.env(), FOUNDING_WINDOW_NANOS)) {
            if (!e.id().equals(nodeId)) {
                peers.add(new Founding.Peer(e.id(), e.cluster(), e.stance()));
            }
        }
        java.util.Optional<Founding.Decision> decision = founding.decide(peers);
        seeStance();
        if (decision.isEmpty()) {
            return;
        }
        String cluster = UUID.randomUUID().toString();
        // The first entry is committed once a majority of the voters have it, as any other.
        LogEntry first = new LogEntry(1, 1, 0, LogEntry.Type.CONFIGURATION, "", "", 0,
            new Configuration(decision.get().voters(), List.of()).encode());
        HardState hardState = new HardState(1, null, 0);
        storage.append(hardState, List.of(first));
        storage.saveClusterId(cluster);
        core = new RaftCore(nodeId, raftConfig(), hardState, null, List.of(first));
        hardStates = new HardStatePacing(COMMIT_SAVE_NANOS, hardState, System.nanoTime());
        clusterId = cluster;
        clusterIdSeen = cluster;
        LOG.info("Founded cluster {} with voters {}", cluster, decision.get().voters());
        core.step(new Message.Hup());
    }

    /** What a fresh node hears a peer say of itself: a founder may ask for its pledge, or show what it founded. */
    private void observe(PeerCodec.Header header) {
        if (clusterId != null || founding == null || !header.env().equals(config.env()) || header.node().isEmpty()) {
            return;
        }
        java.util.Optional<String> adopt = founding.observe(new Founding.Peer(header.node(), header.cluster(), header.stance()));
        seeStance();
        if (adopt.isPresent()) {
            try {
                storage.saveClusterId(adopt.get());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            clusterId = adopt.get();
            clusterIdSeen = clusterId;
            LOG.info("Joining cluster {}, founded by {} with this node's pledge", clusterId, header.node());
            return;
        }
        // A founder's pledges arrive in its peers' introductions: it need not wait for a tick to found.
        try {
            maybeBootstrap();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void seeStance() {
        Founding.Stance stance = founding.stance();
        if (!stance.equals(stanceSeen)) {
            stanceSeen = stance;
            introduceNow.run();
        }
    }

    /**
     * A node in no cluster takes the log of a leader of its environment that sends it entries: that
     * leader added it to its cluster as a learner. Anything else from peers waits until it belongs.
     */
    private boolean join(PeerCodec.Batch batch) {
        boolean fromLeader = batch.messages().stream().anyMatch(m -> m instanceof Message.AppendEntries
            || m instanceof Message.InstallSnapshot || m instanceof Message.Heartbeat);
        if (!fromLeader || batch.header().cluster().isEmpty() || !batch.header().env().equals(config.env())) {
            return false;
        }
        try {
            storage.saveClusterId(batch.header().cluster());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        clusterId = batch.header().cluster();
        clusterIdSeen = clusterId;
        LOG.info("Joining cluster {}: its leader {} added this node", clusterId, batch.header().node());
        return true;
    }

    /** How recently a node must have introduced itself for the leader to add it. */
    private static final long JOIN_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** The leader's own membership changes (see {@link MembershipRules}); made with the cluster. */
    private MembershipRules membershipRules;

    private void manageMembership() {
        if (core.role() != tansu.raft.core.Role.LEADER) {
            return;
        }
        if (membershipRules == null) {
            long removeAfterTicks = TimeUnit.SECONDS.toMillis(config.remove_after_s()) / config.tick_ms();
            membershipRules = new MembershipRules(nodeId, clusterId, config.bootstrap_expect(), removeAfterTicks,
                config.tick_ms(), retired::isRetired);
        }
        List<MembershipRules.Heard> heard = new ArrayList<>();
        for (AddressBook.Entry e : book.recent(config.env(), JOIN_WINDOW_NANOS)) {
            heard.add(new MembershipRules.Heard(e.id(), e.cluster(), book.lastHeard(e.id())));
        }
        java.util.Optional<MembershipRules.Change> change = membershipRules.next(new MembershipRules.View(
            core.configuration(), core.commitIndex(), core.matchIndexes(), core.silentTicks(), heard));
        if (change.isPresent() && changeConfiguration(change.get().next(), change.get().why())
            && change.get().absent() != null) {
            membershipRules.removedForAbsence(change.get().absent(), System.nanoTime());
        }
    }

    /** The peer addresses on disk. */
    private final Map<String, String> savedAddresses = new HashMap<>();

    /** Keeps on disk where each member answers: a restarted node reaches them without discovery. */
    private void saveMemberAddresses() throws IOException {
        Map<String, String> known = new java.util.TreeMap<>();
        for (String member : core.configuration().members()) {
            AddressBook.Entry e = member.equals(nodeId) ? null : book.get(member);
            if (e == null) {
                continue;
            }
            known.put(member, e.host() + ":" + e.port());
            if (!(e.host() + ":" + e.port()).equals(savedAddresses.get(member))) {
                storage.savePeerAddress(member, e.host() + ":" + e.port());
                savedAddresses.put(member, e.host() + ":" + e.port());
            }
        }
        if (!known.equals(memberAddresses)) {
            memberAddresses = Map.copyOf(known);
        }
    }

    /** Answers whether the leader took the change. */
    private boolean changeConfiguration(Configuration next, String why) {
        try {
            core.step(new Message.ChangeConfiguration(next));
            LOG.info("Configuration change: {}", why);
            return true;
        } catch (ProposalDroppedException pending) {
            // One change at a time: the previous one is still being committed.
            return false;
        }
    }

    private void stepPeer(Message.Peer m) {
        Message.Peer message = m;
        if (m instanceof Message.ForwardPropose p && core.role() == tansu.raft.core.Role.LEADER) {
            // The leader's clock is the one entries carry (a ttl's expiry is decided by it).
            long now = System.currentTimeMillis();
            List<Proposal> stamped = new ArrayList<>(p.proposals().size());
            for (Proposal proposal : p.proposals()) {
                stamped.add(new Proposal(proposal.machine(), proposal.origin(), proposal.requestId(), proposal.data(), now));
            }
            message = new Message.ForwardPropose(p.from(), p.to(), p.term(), stamped);
        }
        try {
            core.step(message);
        } catch (ProposalDroppedException ignored) {
            // Only local requests are refused this way.
        }
    }

    /** How long a proposal waits for its entry before it is given up (clients time out well before). */
    private static final long PROPOSAL_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private void expireProposals() {
        long now = System.nanoTime();
        java.util.Iterator<Waiting> oldestFirst = waiting.values().iterator();
        while (oldestFirst.hasNext()) {
            Waiting w = oldestFirst.next();
            if (now - w.since() <= PROPOSAL_PATIENCE_NANOS) {
                return;
            }
            oldestFirst.remove();
            completions.execute(() -> w.future().completeExceptionally(
                new NoLeaderException("the proposal was not committed in time; it may still be")));
        }
    }

    private void expireReads() {
        fail(readRounds.expire(System.nanoTime()), new NoLeaderException("no leader confirmed the read in time"));
    }

    /** Asks for one read index for all the reads gathered, unless the last round is still out. */
    private void flushReads() {
        long context = readRounds.nextRound(System.nanoTime());
        if (context != 0) {
            try {
                core.step(new Message.ReadIndex(context));
            } catch (ProposalDroppedException e) {
                fail(readRounds.close(context), new NoLeaderException(e.getMessage()));
            }
        }
    }

    private void fail(List<? extends CompletableFuture<?>> futures, RuntimeException failure) {
        for (CompletableFuture<?> f : futures) {
            completions.execute(() -> f.completeExceptionally(failure));
        }
    }

    private void flushProposals() {
        if (proposing.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Proposal> batch = new ArrayList<>(proposing.size());
        for (Proposal p : proposing) {
            batch.add(new Proposal(p.machine(), p.origin(), p.requestId(), p.data(), now));
        }
        proposing.clear();
        try {
            core.step(new Message.Propose(batch));
        } catch (ProposalDroppedException e) {
            NoLeaderException failure = new NoLeaderException(e.getMessage());
            for (Proposal p : batch) {
                Waiting w = waiting.remove(p.requestId());
                completions.execute(() -> w.future().completeExceptionally(failure));
            }
        }
    }

    /** How often a commit index that alone moved is stored (see {@link HardStatePacing}). */
    private static final long COMMIT_SAVE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private void saveCommitIfDue() throws IOException {
        HardState due = hardStates.due(System.nanoTime());
        if (due != null) {
            storage.append(due, List.of());
        }
    }

    private void handleReady() throws IOException {
        while (core.hasReady()) {
            Ready ready = core.ready();
            if (ready.snapshot() != null) {
                installSnapshot(ready.snapshot());
            }
            // A leader's appends go out while it writes them itself; answers and votes wait for the fsync.
            send(ready.beforeSync());
            if (ready.mustSync()) {
                storage.append(hardStates.forAppend(ready.hardState(), System.nanoTime()), ready.entries());
            } else if (ready.hardState() != null) {
                hardStates.commitMoved(ready.hardState());
            }
            send(ready.afterSync());
            for (ReadState rs : ready.readStates()) {
                List<CompletableFuture<Void>> reads = readRounds.close(rs.context());
                if (!reads.isEmpty()) {
                    readsAwaitingApply.computeIfAbsent(rs.index(), i -> new ArrayList<>()).addAll(reads);
                }
            }
            toApply.addAll(ready.committed());
            core.advance(ready);
            // The next round leaves as soon as the last one is back, not at the next wake-up.
            flushReads();
        }
    }

    /** A snapshot from the leader replaces the log and every machine's state. */
    private void installSnapshot(Snapshot snapshot) throws IOException {
        storage.installSnapshot(snapshot);
        toApply.clear();
        machines.installSnapshot(SnapshotCodec.decode(snapshot.data()));
        applied = snapshot.index();
        snapshotIndex = snapshot.index();
        bytesSinceSnapshot = 0;
        lastSnapshotBytes = snapshot.data().length;
        LOG.info("Installed the leader's snapshot at index {}", snapshot.index());
    }

    private void applyCommitted() {
        while (!toApply.isEmpty()) {
            LogEntry entry = toApply.peek();
            if (entry.type() == LogEntry.Type.COMMAND) {
                StateMachine machine = machines.get(entry.machine());
                if (machine == null) {
                    if (machines.hold(entry.machine())) {
                        LOG.info("Entry {} is for state machine '{}', which this node does not have (yet): held for it",
                            entry.index(), entry.machine());
                    }
                    Waiting w = entry.origin().equals(nodeId) ? waiting.remove(entry.requestId()) : null;
                    if (w != null) {
                        completions.execute(() -> w.future().completeExceptionally(new IllegalStateException(
                            "state machine " + entry.machine() + " left this node before the entry was applied")));
                    }
                } else {
                    Object result = apply(machine, entry);
                    Waiting w = entry.origin().equals(nodeId) ? waiting.remove(entry.requestId()) : null;
                    if (w != null && w.direct()) {
                        directlyDone.add(new Done(w.future(), result));
                    } else if (w != null) {
                        completions.execute(() -> w.future().complete(result));
                    }
                }
            }
            toApply.poll();
            applied = entry.index();
            bytesSinceSnapshot += entry.data().length;
        }
        completeDirect();
        while (!readsAwaitingApply.isEmpty() && readsAwaitingApply.firstKey() <= applied) {
            for (CompletableFuture<Void> f : readsAwaitingApply.pollFirstEntry().getValue()) {
                completions.execute(() -> f.complete(null));
            }
        }
    }

    /** The round's direct requests: here where they are few, else on the completion threads. */
    private void completeDirect() {
        boolean here = directlyDone.size() <= MAX_DIRECT_COMPLETIONS;
        for (Done done : directlyDone) {
            if (here) {
                done.future().complete(done.result());
            } else {
                completions.execute(() -> done.future().complete(done.result()));
            }
        }
        directlyDone.clear();
    }

    private static Object apply(StateMachine machine, LogEntry entry) {
        Applied result = machine.apply(new Entry(entry.index(), entry.term(), entry.timestamp(), entry.data()));
        return result.result();
    }

    /** Brings a machine that arrived (again) up to the applied index: snapshot part, then its entries. */
    private void rebuild(String name) {
        try {
            machines.restoreFromSnapshot(name);
            StateMachine machine = machines.get(name);
            for (LogEntry entry : core.entries(snapshotIndex + 1, applied)) {
                if (entry.type() == LogEntry.Type.COMMAND && entry.machine().equals(name)) {
                    apply(machine, entry);
                }
            }
            LOG.info("State machine '{}' rebuilt up to index {}", name, applied);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore state machine " + name, e);
        }
    }

    /**
     * Takes a snapshot when due: the machines write their state here, where they apply; encoding and
     * storing (megabytes, a tenth of a second and more under load) go to the snapshot thread, and the log
     * is compacted once the snapshot is on disk.
     */
    private void maybeSnapshot() throws IOException {
        if (applied <= snapshotIndex || storingSnapshot) {
            return;
        }
        if (!snapshotPolicy.due(applied - snapshotIndex, bytesSinceSnapshot, lastSnapshotBytes,
                System.nanoTime() - lastSnapshotNanos)) {
            return;
        }
        long started = System.nanoTime();
        MachineSet.Taken parts = machines.take(core.entries(snapshotIndex + 1, applied));
        long taken = System.nanoTime();
        long index = applied;
        long term = core.termAt(index);
        Configuration at = core.configurationAt(index);
        snapshotIndex = index;
        bytesSinceSnapshot = 0;
        lastSnapshotNanos = taken;
        storingSnapshot = true;
        long takingMs = TimeUnit.NANOSECONDS.toMillis(taken - started);
        snapshots.execute(() -> storeSnapshot(index, term, at, parts, takingMs));
    }

    /** The parts of the snapshot the core holds (driver thread). */
    private Map<String, MachineSet.Part> storedParts() throws IOException {
        Snapshot held = core.snapshot();
        return held == null ? Map.of() : SnapshotCodec.decode(held.data());
    }

    /** On the snapshot thread. A failure stops the driver, as any storage failure does. */
    private void storeSnapshot(long index, long term, Configuration at, MachineSet.Taken parts, long takingMs) {
        try {
            long started = System.nanoTime();
            byte[] data = SnapshotCodec.encode(parts.parts());
            long encoded = System.nanoTime();
            Snapshot snapshot = new Snapshot(index, term, at.voters(), at.learners(), data);
            storage.saveSnapshot(snapshot);
            long stored = System.nanoTime();
            LOG.info("Snapshot at index {} ({} bytes): {} ms taking on the driver, {} ms writing and {} ms storing off it",
                index, data.length, takingMs, TimeUnit.NANOSECONDS.toMillis(encoded - started),
                TimeUnit.NANOSECONDS.toMillis(stored - encoded));
            execute(() -> {
                storingSnapshot = false;
                lastSnapshotBytes = data.length;
                // Ignored by the core where a leader's newer snapshot was installed meanwhile.
                core.compact(snapshot);
                if (core.snapshot() == snapshot) {
                    machines.stored(parts);
                }
            });
        } catch (IOException | RuntimeException e) {
            execute(() -> {
                throw new IllegalStateException("storing the snapshot at index " + index + " failed", e);
            });
        }
    }

    private void logLeadership() {
        String line = leadership.changed(core.term(), core.role(), core.leader());
        if (line != null) {
            LOG.info(line);
        }
    }

    private void publishStatus() {
        String leader = core.leader();
        Configuration configuration = core.configuration();
        String role = core.role() != tansu.raft.core.Role.LEADER && !configuration.voters().isEmpty()
            && !configuration.isVoter(nodeId) ? "learner" : core.role().label();
        List<String> peers = new ArrayList<>(configuration.members());
        peers.remove(nodeId);
        status = new NodeStatus(clusterId, nodeId, config.env(), role, core.term(), core.commitIndex(),
            applied, leader, leader == null ? 0 : core.leaderCommitIndex(), book.addresses(peers), machines.waiting());
        Map<String, Long> match = core.matchIndexes();
        List<tansu.api.Member> view = new ArrayList<>();
        for (String member : configuration.members()) {
            AddressBook.Entry address = member.equals(nodeId) ? null : book.get(member);
            String host = member.equals(nodeId) ? config.host() : address == null ? null : address.host();
            int port = member.equals(nodeId) ? config.port() : address == null ? 0 : address.port();
            long matched = core.role() != tansu.raft.core.Role.LEADER ? -1
                : member.equals(nodeId) ? core.lastIndex() : match.getOrDefault(member, 0L);
            view.add(new tansu.api.Member(member, host, port, configuration.isVoter(member), member.equals(leader), matched));
        }
        memberView = List.copyOf(view);
    }

    private void failAll(RuntimeException failure) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        waiting.values().forEach(w -> all.add(w.future()));
        all.addAll(readRounds.clear());
        readsAwaitingApply.values().forEach(all::addAll);
        waiting.clear();
        readsAwaitingApply.clear();
        fail(all, failure);
    }
}
