package tansu.raft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * One node's Raft state machine. Single-threaded and pure: inputs are {@link #step} and
 * {@link #tick}; outputs are collected in {@link #ready()} and acknowledged with {@link #advance}.
 *
 * <p>The behaviour of each role is its own step function, swapped on every role change.
 */
public final class RaftCore {

    private final String id;
    private final RaftConfig config;
    private final Random random;
    private final RaftLog log;
    private Configuration configuration;

    private long term;
    private String vote;
    private String leader;
    private Role role = Role.FOLLOWER;
    private StepFunction stepFunction = this::stepFollower;
    private final Map<String, Boolean> votes = new TreeMap<>();

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;

    private HardState persistedHardState;
    private final List<Message> outbox = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final List<Long> readsAwaitingTermCommit = new ArrayList<>();

    @FunctionalInterface
    private interface StepFunction {
        void step(Message message);
    }

    /**
     * Restores a node from what its storage holds.
     *
     * @param snapshot the newest snapshot, or {@code null}
     * @param entries  the stored log after the snapshot
     */
    public RaftCore(String id, RaftConfig config, HardState hardState, Snapshot snapshot, List<LogEntry> entries) {
        this.id = id;
        this.config = config;
        this.random = new Random(config.seed());
        this.term = hardState.term();
        this.vote = hardState.vote();
        this.persistedHardState = hardState;
        long snapshotIndex = snapshot == null ? 0 : snapshot.index();
        long snapshotTerm = snapshot == null ? 0 : snapshot.term();
        this.log = new RaftLog(snapshotIndex, snapshotTerm, entries, hardState.commit());
        this.configuration = new Configuration(snapshot == null ? List.of() : snapshot.voters());
        for (LogEntry e : entries) {
            if (e.type() == LogEntry.Type.CONFIGURATION) {
                configuration = Configuration.decode(e.data());
            }
        }
        resetElectionTimeout();
    }

    // ---- inputs

    /** The single entry point for every message, local or from a peer. */
    public void step(Message message) {
        if (message instanceof Message.Hup) {
            if (role != Role.LEADER) {
                campaign();
            }
            return;
        }
        stepFunction.step(message);
    }

    /** One unit of logical time. */
    public void tick() {
        if (role == Role.LEADER) {
            heartbeatElapsed++;
            if (heartbeatElapsed >= config.heartbeatTicks()) {
                heartbeatElapsed = 0;
                // Heartbeats go to peers; a single voter has none.
            }
            return;
        }
        electionElapsed++;
        if (electionElapsed >= randomizedElectionTimeout && configuration.isVoter(id)) {
            campaign();
        }
    }

    // ---- role behaviour

    private void stepFollower(Message message) {
        if (message instanceof Message.Propose || message instanceof Message.ReadIndex) {
            throw new ProposalDroppedException(leader == null ? "no leader" : "this node is not the leader");
        }
        throw new IllegalArgumentException("unexpected " + message);
    }

    private void stepCandidate(Message message) {
        stepFollower(message);
    }

    private void stepLeader(Message message) {
        if (message instanceof Message.Propose p) {
            for (Proposal proposal : p.proposals()) {
                log.append(new LogEntry(log.lastIndex() + 1, term, proposal.timestamp(), LogEntry.Type.COMMAND,
                    proposal.machine(), proposal.origin(), proposal.requestId(), proposal.data()));
            }
        } else if (message instanceof Message.ReadIndex r) {
            // A leader knows the commit index only once it has committed an entry of its own term.
            if (log.term(log.committed()) == term) {
                readStates.add(new ReadState(r.context(), log.committed()));
            } else {
                readsAwaitingTermCommit.add(r.context());
            }
        } else {
            throw new IllegalArgumentException("unexpected " + message);
        }
    }

    // ---- role changes

    private void campaign() {
        becomeCandidate();
        votes.put(id, true);
        if (wonElection()) {
            becomeLeader();
        }
        // Vote requests to peers belong here once the group has more than one voter.
    }

    private boolean wonElection() {
        long granted = configuration.voters().stream().filter(v -> Boolean.TRUE.equals(votes.get(v))).count();
        return granted > configuration.voters().size() / 2;
    }

    private void becomeCandidate() {
        term++;
        vote = id;
        leader = null;
        votes.clear();
        role = Role.CANDIDATE;
        stepFunction = this::stepCandidate;
        resetElectionTimeout();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = id;
        stepFunction = this::stepLeader;
        heartbeatElapsed = 0;
        // A no-op of its own term lets the leader commit, and so learn the commit index (Raft paper 5.4.2, 8).
        log.append(LogEntry.noop(log.lastIndex() + 1, term, 0));
    }

    private void resetElectionTimeout() {
        electionElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    private void maybeCommit() {
        if (role != Role.LEADER) {
            return;
        }
        List<Long> matched = new ArrayList<>();
        for (String voter : configuration.voters()) {
            // Peers' match indexes join here with replication; the leader's own is what it has on disk.
            matched.add(voter.equals(id) ? log.stable() : 0L);
        }
        long candidate = MajorityQuorum.committedIndex(matched);
        // Only entries of the current term are committed by counting (Raft paper 5.4.2).
        if (candidate > log.committed() && log.term(candidate) == term) {
            log.commitTo(candidate);
            for (long context : readsAwaitingTermCommit) {
                readStates.add(new ReadState(context, log.committed()));
            }
            readsAwaitingTermCommit.clear();
        }
    }

    // ---- output

    private HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    public boolean hasReady() {
        return !hardState().equals(persistedHardState) || !log.unstable().isEmpty() || !log.toApply().isEmpty()
            || !outbox.isEmpty() || !readStates.isEmpty();
    }

    public Ready ready() {
        HardState hs = hardState();
        boolean changed = !hs.equals(persistedHardState);
        List<LogEntry> unstable = log.unstable();
        boolean mustSync = !unstable.isEmpty() || hs.term() != persistedHardState.term()
            || !java.util.Objects.equals(hs.vote(), persistedHardState.vote());
        return new Ready(changed ? hs : null, mustSync, unstable, log.toApply(), outbox, readStates);
    }

    /** The driver has done everything {@code ready} asked for. */
    public void advance(Ready ready) {
        if (ready.hardState() != null) {
            persistedHardState = ready.hardState();
        }
        if (!ready.entries().isEmpty()) {
            LogEntry last = ready.entries().get(ready.entries().size() - 1);
            log.stableTo(last.index(), last.term());
        }
        if (!ready.committed().isEmpty()) {
            log.handedOutTo(ready.committed().get(ready.committed().size() - 1).index());
        }
        outbox.subList(0, ready.messages().size()).clear();
        readStates.subList(0, ready.readStates().size()).clear();
        maybeCommit();
    }

    /** The driver stored a snapshot at {@code index}: the log before it may go. */
    public void compact(long index) {
        log.compact(index);
    }

    // ---- views

    public String id() {
        return id;
    }

    public long term() {
        return term;
    }

    public Role role() {
        return role;
    }

    /** The leader this node knows of, or {@code null}. */
    public String leader() {
        return leader;
    }

    public long commitIndex() {
        return log.committed();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** Term of the entry at {@code index}, -1 where not in the log. */
    public long termAt(long index) {
        return log.term(index);
    }

    public Configuration configuration() {
        return configuration;
    }

    /** Entries {@code from..to} still in the log (not compacted), inclusive. */
    public List<LogEntry> entries(long from, long to) {
        return log.slice(Math.max(from, log.firstIndex()), Math.min(to, log.lastIndex()));
    }
}
