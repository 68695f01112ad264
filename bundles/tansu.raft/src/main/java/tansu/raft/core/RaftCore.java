package tansu.raft.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * One node's Raft state machine. Single-threaded and pure: inputs are {@link #step} and
 * {@link #tick}; outputs are collected in {@link #ready()} and acknowledged with {@link #advance}.
 *
 * <p>The behaviour of each role is its own step function, swapped on every role change. Section
 * numbers in comments refer to the Raft paper and to Ongaro's thesis.
 */
public final class RaftCore {

    private final String id;
    private final RaftConfig config;
    private final Random random;
    private final RaftLog log;
    private Configuration configuration;
    /** The configuration of the snapshot the log starts after. */
    private Configuration snapshotConfiguration;
    /** This node's newest snapshot, sent to followers whose next entry is compacted away. */
    private Snapshot snapshot;

    private long term;
    private String vote;
    private String leader;
    private Role role = Role.FOLLOWER;
    private StepFunction stepFunction = this::stepFollower;
    private final Map<String, Boolean> votes = new TreeMap<>();
    private final Map<String, Progress> progress = new TreeMap<>();
    private final ReadOnly readOnly = new ReadOnly();
    private final List<ReadRequest> readsAwaitingTermCommit = new ArrayList<>();
    private final SnapshotAssembly incoming = new SnapshotAssembly();
    private String leadTransferee;
    /** Forwarded proposals this node appended lately, by origin and request id, to drop duplicates. */
    private final java.util.Set<String> recentlyForwarded = java.util.Collections.newSetFromMap(
        new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > 16_384;
            }
        });
    /** A leader accepts a configuration change only once every earlier one is committed. */
    private long pendingConfigurationIndex;

    /** Ticks since this core was created: the leader's measure of how long a follower has been silent. */
    private long ticks;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;

    private HardState persistedHardState;
    private Snapshot snapshotToInstall;
    private final List<Message.Peer> outbox = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();

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
        this.snapshot = snapshot;
        long snapshotIndex = snapshot == null ? 0 : snapshot.index();
        long snapshotTerm = snapshot == null ? 0 : snapshot.term();
        this.log = new RaftLog(snapshotIndex, snapshotTerm, entries, hardState.commit());
        this.snapshotConfiguration = snapshot == null ? Configuration.EMPTY
            : new Configuration(snapshot.voters(), snapshot.learners());
        refreshConfiguration();
        resetElectionTimeout();
    }

    // ---- inputs

    /** The single entry point for every message, local or from a peer. */
    public void step(Message message) {
        if (message instanceof Message.Peer peer && peer.term() != 0) {
            if (!stepTerm(peer)) {
                return;
            }
            if (peer instanceof Message.RequestVote request) {
                handleVoteRequest(request);
                return;
            }
        } else if (message instanceof Message.Hup) {
            if (role != Role.LEADER) {
                campaign(config.preVote(), false);
            }
            return;
        }
        stepFunction.step(message);
    }

    /**
     * Compares a peer message's term with ours (paper 5.1): a newer term makes this node a follower
     * (unless the message is only a pre-vote, or a vote request arriving while this node still hears
     * from a leader); an older one is answered where that helps a stale node, then dropped.
     * Answers whether the message goes on to the role's step function.
     */
    private boolean stepTerm(Message.Peer m) {
        if (m.term() > term) {
            if (m instanceof Message.RequestVote rv && !rv.transfer() && inLease()) {
                return false;
            }
            if (m instanceof Message.RequestVote rv && rv.preVote()) {
                return true;
            }
            if (m instanceof Message.VoteResponse vr && vr.preVote() && vr.granted()) {
                return true;
            }
            boolean fromLeader = m instanceof Message.AppendEntries || m instanceof Message.Heartbeat
                || m instanceof Message.InstallSnapshot;
            becomeFollower(m.term(), fromLeader ? m.from() : null);
            return true;
        }
        if (m.term() < term) {
            if (m instanceof Message.AppendEntries || m instanceof Message.Heartbeat) {
                // A leader cut off during our elections learns of the newer term and steps down.
                send(new Message.AppendResponse(id, m.from(), term, 0, true, 0));
            } else if (m instanceof Message.RequestVote rv && rv.preVote()) {
                send(new Message.VoteResponse(id, m.from(), term, false, true));
            }
            return false;
        }
        return true;
    }

    /** Whether this node heard from a leader within the election timeout: it then refuses votes (4.2.3). */
    private boolean inLease() {
        return config.checkQuorum() && leader != null && electionElapsed < config.electionTicks();
    }

    private void handleVoteRequest(Message.RequestVote m) {
        boolean canVote = Objects.equals(vote, m.from()) || (vote == null && leader == null)
            || (m.preVote() && m.term() > term);
        if (canVote && log.isUpToDate(m.lastIndex(), m.lastTerm())) {
            send(new Message.VoteResponse(id, m.from(), m.term(), true, m.preVote()));
            if (!m.preVote()) {
                electionElapsed = 0;
                vote = m.from();
            }
        } else {
            send(new Message.VoteResponse(id, m.from(), term, false, m.preVote()));
        }
    }

    /** One unit of logical time. */
    public void tick() {
        ticks++;
        electionElapsed++;
        if (role == Role.LEADER) {
            tickLeader();
            return;
        }
        if (electionElapsed >= randomizedElectionTimeout && promotable()) {
            electionElapsed = 0;
            campaign(config.preVote(), false);
        }
    }

    private void tickLeader() {
        heartbeatElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum() && !quorumActive()) {
                becomeFollower(term, null);
                return;
            }
            // A transfer that did not complete within an election timeout is abandoned (3.10).
            leadTransferee = null;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcastHeartbeat(readOnly.lastContext());
        }
    }

    /** Whether a majority of voters was heard from since the last check; clears the marks for the next. */
    private boolean quorumActive() {
        int active = 0;
        for (String voter : configuration.voters()) {
            if (voter.equals(id)) {
                active++;
                continue;
            }
            Progress pr = progress.get(voter);
            if (pr != null && pr.recentActive) {
                active++;
            }
        }
        progress.values().forEach(pr -> pr.recentActive = false);
        return active > configuration.voters().size() / 2;
    }

    private boolean promotable() {
        return configuration.isVoter(id);
    }

    // ---- follower

    private void stepFollower(Message message) {
        if (message instanceof Message.Propose p) {
            if (leader == null) {
                throw new ProposalDroppedException("no leader");
            }
            send(new Message.ForwardPropose(id, leader, 0, p.proposals()));
        } else if (message instanceof Message.ReadIndex r) {
            if (leader == null) {
                throw new ProposalDroppedException("no leader");
            }
            send(new Message.ReadIndexRequest(id, leader, term, r.context()));
        } else if (message instanceof Message.AppendEntries m) {
            heardFromLeader(m.from());
            leaderCommit = Math.max(leaderCommit, m.commit());
            handleAppend(m);
        } else if (message instanceof Message.Heartbeat m) {
            heardFromLeader(m.from());
            leaderCommit = Math.max(leaderCommit, m.commit());
            log.commitTo(Math.min(m.commit(), log.lastIndex()));
            send(new Message.HeartbeatResponse(id, m.from(), term, m.context()));
        } else if (message instanceof Message.InstallSnapshot m) {
            heardFromLeader(m.from());
            handleSnapshot(m);
        } else if (message instanceof Message.ReadIndexResponse m) {
            readStates.add(new ReadState(m.context(), m.index()));
        } else if (message instanceof Message.ChangeMembership c) {
            send(new Message.AdminRequest(id, leaderOrDrop(), term, c.member(), c.add(), null));
        } else if (message instanceof Message.TransferLeader t) {
            send(new Message.AdminRequest(id, leaderOrDrop(), term, null, false, t.target()));
        } else if (message instanceof Message.TimeoutNow) {
            if (promotable()) {
                campaign(false, true);
            }
        }
        // Anything else (stale responses, forwarded proposals without a leader to pass them to) is dropped.
    }

    private String leaderOrDrop() {
        if (leader == null) {
            throw new ProposalDroppedException("no leader");
        }
        return leader;
    }

    private void heardFromLeader(String from) {
        electionElapsed = 0;
        leader = from;
    }

    /** The leader's commit index as this node last heard it (its own, on the leader). */
    private long leaderCommit;

    private void handleAppend(Message.AppendEntries m) {
        if (m.prevIndex() < log.committed()) {
            // Already committed here: say so, and the leader moves on from there.
            send(new Message.AppendResponse(id, m.from(), term, log.committed(), false, 0));
            return;
        }
        boolean configurationEntries = m.entries().stream().anyMatch(e -> e.type() == LogEntry.Type.CONFIGURATION);
        long lastBefore = log.lastIndex();
        long matched = log.maybeAppend(m.prevIndex(), m.prevTerm(), m.entries());
        if (matched < 0) {
            long hint = log.conflictHint(m.prevIndex(), m.prevTerm());
            send(new Message.AppendResponse(id, m.from(), term, m.prevIndex(), true, hint));
            return;
        }
        if (configurationEntries || log.lastIndex() < lastBefore) {
            refreshConfiguration();
        }
        log.commitTo(Math.min(m.commit(), matched));
        send(new Message.AppendResponse(id, m.from(), term, matched, false, 0));
    }

    private void handleSnapshot(Message.InstallSnapshot m) {
        if (m.index() <= log.committed()) {
            send(new Message.AppendResponse(id, m.from(), term, log.committed(), false, 0));
            return;
        }
        Snapshot complete;
        try {
            complete = incoming.receive(m);
        } catch (IllegalArgumentException outOfOrder) {
            send(new Message.SnapshotResponse(id, m.from(), term, m.index(), 0, true));
            return;
        }
        if (complete == null) {
            send(new Message.SnapshotResponse(id, m.from(), term, m.index(), incoming.received(), false));
            return;
        }
        if (log.matchTerm(complete.index(), complete.term())) {
            // The log already has what the snapshot covers: commit it, keep the log.
            log.commitTo(complete.index());
        } else {
            log.restore(complete);
            snapshot = complete;
            snapshotToInstall = complete;
            snapshotConfiguration = new Configuration(complete.voters(), complete.learners());
            refreshConfiguration();
        }
        send(new Message.AppendResponse(id, m.from(), term, complete.index(), false, 0));
    }

    // ---- candidate

    private void stepCandidate(Message message) {
        if (message instanceof Message.Propose || message instanceof Message.ReadIndex
            || message instanceof Message.ChangeMembership || message instanceof Message.TransferLeader) {
            throw new ProposalDroppedException("an election is under way");
        } else if (message instanceof Message.AppendEntries m) {
            becomeFollower(m.term(), m.from());
            handleAppend(m);
        } else if (message instanceof Message.Heartbeat m) {
            becomeFollower(m.term(), m.from());
            stepFollower(m);
        } else if (message instanceof Message.InstallSnapshot m) {
            becomeFollower(m.term(), m.from());
            handleSnapshot(m);
        } else if (message instanceof Message.VoteResponse m && m.preVote() == (role == Role.PRE_CANDIDATE)) {
            votes.putIfAbsent(m.from(), m.granted());
            if (won()) {
                if (role == Role.PRE_CANDIDATE) {
                    campaign(false, false);
                } else {
                    becomeLeader();
                }
            } else if (lost()) {
                becomeFollower(term, null);
            }
        }
    }

    private void campaign(boolean preVote, boolean transfer) {
        if (!promotable()) {
            return;
        }
        long voteTerm;
        if (preVote) {
            becomePreCandidate();
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteTerm = term;
        }
        votes.put(id, true);
        if (won()) {
            if (preVote) {
                campaign(false, transfer);
            } else {
                becomeLeader();
            }
            return;
        }
        for (String voter : configuration.voters()) {
            if (!voter.equals(id)) {
                send(new Message.RequestVote(id, voter, voteTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
            }
        }
    }

    private boolean won() {
        return count(true) > configuration.voters().size() / 2;
    }

    private boolean lost() {
        return count(false) > configuration.voters().size() / 2;
    }

    private long count(boolean granted) {
        return configuration.voters().stream().filter(v -> Objects.equals(votes.get(v), granted)).count();
    }

    // ---- leader

    private void stepLeader(Message message) {
        if (message instanceof Message.Propose p) {
            if (leadTransferee != null) {
                throw new ProposalDroppedException("leadership is being transferred");
            }
            appendProposals(p.proposals());
        } else if (message instanceof Message.ForwardPropose p) {
            if (leadTransferee == null) {
                // A forwarded batch the network delivered twice must not be appended twice.
                List<Proposal> fresh = p.proposals().stream().filter(x -> recentlyForwarded.add(x.origin() + "/" + x.requestId()))
                    .toList();
                appendProposals(fresh);
            }
        } else if (message instanceof Message.ReadIndex r) {
            readIndex(r.context(), null);
        } else if (message instanceof Message.ReadIndexRequest r) {
            readIndex(r.context(), r.from());
        } else if (message instanceof Message.AppendResponse m) {
            handleAppendResponse(m);
        } else if (message instanceof Message.HeartbeatResponse m) {
            handleHeartbeatResponse(m);
        } else if (message instanceof Message.SnapshotResponse m) {
            handleSnapshotResponse(m);
        } else if (message instanceof Message.TransferLeader t) {
            transferLeadership(t.target());
        } else if (message instanceof Message.ChangeConfiguration c) {
            changeConfiguration(c.next());
        } else if (message instanceof Message.ChangeMembership c) {
            changeMembership(c.member(), c.add());
        } else if (message instanceof Message.AdminRequest r) {
            try {
                if (r.target() != null) {
                    transferLeadership(r.target());
                } else {
                    changeMembership(r.member(), r.add());
                }
            } catch (ProposalDroppedException refused) {
                // A forwarded request the leader cannot take now is dropped; the requester sees the result.
            }
        }
    }

    private void changeMembership(String member, boolean add) {
        List<String> voters = new ArrayList<>(configuration.voters());
        List<String> learners = new ArrayList<>(configuration.learners());
        if (add) {
            if (configuration.contains(member)) {
                return;
            }
            learners.add(member);
        } else {
            if (!configuration.contains(member)) {
                return;
            }
            voters.remove(member);
            learners.remove(member);
            if (voters.isEmpty()) {
                throw new ProposalDroppedException("the last voter cannot be removed");
            }
        }
        changeConfiguration(new Configuration(voters, learners));
    }

    private void appendProposals(List<Proposal> proposals) {
        for (Proposal proposal : proposals) {
            log.append(new LogEntry(log.lastIndex() + 1, term, proposal.timestamp(), LogEntry.Type.COMMAND,
                proposal.machine(), proposal.origin(), proposal.requestId(), proposal.data()));
        }
        broadcastAppend();
    }

    private void changeConfiguration(Configuration next) {
        if (pendingConfigurationIndex > log.committed()) {
            throw new ProposalDroppedException("a configuration change is still being committed");
        }
        long index = log.lastIndex() + 1;
        log.append(new LogEntry(index, term, 0, LogEntry.Type.CONFIGURATION, "", id, 0, next.encode()));
        pendingConfigurationIndex = index;
        refreshConfiguration();
        broadcastAppend();
        maybeCommit();
    }

    /**
     * A read-index request, from this node ({@code requester} null) or a follower. The leader answers
     * with its commit index once a heartbeat round confirms it still leads (6.4); a leader that has not
     * yet committed an entry of its term does not know the commit index and holds the request.
     *
     * <p>A voter's request in this leader's term is itself such a confirmation: it left the voter after
     * the read arrived there, so no newer term had that voter's vote before the read began. Where the
     * two are a majority (three voters), no other leader can have been elected before it began, and the
     * commit index now covers every write that completed before it. Only that request is answered so:
     * reads held in earlier rounds began before the voter sent it and still wait for their heartbeats.
     */
    private void readIndex(long context, String requester) {
        if (log.term(log.committed()) != term) {
            readsAwaitingTermCommit.add(new ReadRequest(context, requester));
            return;
        }
        if (configuration.voters().size() == 1 && configuration.isVoter(id)) {
            answerRead(context, log.committed(), requester);
            return;
        }
        if (requester != null && confirmedByRequester(requester)) {
            answerRead(context, log.committed(), requester);
            return;
        }
        long round = ++readRounds;
        readOnly.add(round, log.committed(), new ReadRequest(context, requester), id);
        broadcastHeartbeat(round);
    }

    private boolean confirmedByRequester(String requester) {
        return configuration.isVoter(id) && configuration.isVoter(requester) && !requester.equals(id)
            && 2 > configuration.voters().size() / 2;
    }

    /** A read-index request and who made it ({@code null}: this node). */
    record ReadRequest(long context, String requester) {
    }

    /** Heartbeat contexts are numbered by the leader, so requests of different nodes never collide. */
    private long readRounds;

    private void answerRead(long context, long index, String requester) {
        if (requester == null || requester.equals(id)) {
            readStates.add(new ReadState(context, index));
        } else {
            send(new Message.ReadIndexResponse(id, requester, term, context, index));
        }
    }

    private void handleAppendResponse(Message.AppendResponse m) {
        Progress pr = progress.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.lastHeard = ticks;
        if (m.reject()) {
            if (pr.maybeDecrTo(m.index(), m.hint())) {
                if (pr.state == Progress.State.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppend(m.from());
            }
            return;
        }
        boolean paused = pr.isPaused(config.maxInflight());
        if (pr.maybeUpdate(m.index())) {
            if (pr.state == Progress.State.PROBE) {
                pr.becomeReplicate();
            } else if (pr.state == Progress.State.SNAPSHOT && pr.match >= pr.pendingSnapshot) {
                pr.becomeReplicate();
            } else {
                pr.freeInflightTo(m.index());
            }
            if (maybeCommit()) {
                broadcastAppend();
            } else if (paused || pr.next <= log.lastIndex()) {
                sendAppend(m.from());
            }
            if (m.from().equals(leadTransferee) && pr.match == log.lastIndex()) {
                send(new Message.TimeoutNow(id, m.from(), term));
            }
        }
    }

    private void handleHeartbeatResponse(Message.HeartbeatResponse m) {
        Progress pr = progress.get(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive = true;
        pr.lastHeard = ticks;
        pr.heartbeatAnswered(config.maxInflight());
        if (pr.state == Progress.State.SNAPSHOT) {
            // A chunk unanswered for an election timeout was lost, or its answer was: send it again.
            // Not on every heartbeat: over a slow link each copy would be answered, and each answer
            // would send another chunk, until the copies in flight filled the heap.
            if (ticks - pr.snapshotSentAt >= config.electionTicks()) {
                sendSnapshotChunk(m.from(), pr);
            }
        } else if (pr.match < log.lastIndex()) {
            sendAppend(m.from());
        }
        if (m.context() == 0 || !configuration.isVoter(m.from())) {
            return;
        }
        long acks = readOnly.ack(m.context(), m.from()).stream().filter(configuration::isVoter).count();
        if (acks > configuration.voters().size() / 2) {
            for (ReadOnly.Pending p : readOnly.release(m.context())) {
                answerRead(p.request().context(), p.index(), p.request().requester());
            }
        }
    }

    private void handleSnapshotResponse(Message.SnapshotResponse m) {
        Progress pr = progress.get(m.from());
        if (pr == null || pr.state != Progress.State.SNAPSHOT) {
            return;
        }
        pr.recentActive = true;
        if (m.reject() || snapshot == null || snapshot.index() != pr.pendingSnapshot) {
            pr.becomeProbe();
            sendAppend(m.from());
            return;
        }
        if (m.nextOffset() <= pr.snapshotOffset) {
            // The answer to a copy: the chunk after it is on its way already.
            return;
        }
        pr.snapshotOffset = m.nextOffset();
        sendSnapshotChunk(m.from(), pr);
    }

    private void transferLeadership(String target) {
        if (target.equals(id) || !configuration.isVoter(target) || target.equals(leadTransferee)) {
            return;
        }
        leadTransferee = target;
        electionElapsed = 0;
        Progress pr = progress.get(target);
        if (pr.match == log.lastIndex()) {
            send(new Message.TimeoutNow(id, target, term));
        } else {
            sendAppend(target);
        }
    }

    /** Commits what a majority of voters has (only entries of this term, by counting: 5.4.2). */
    private boolean maybeCommit() {
        List<Long> matched = new ArrayList<>();
        for (String voter : configuration.voters()) {
            matched.add(voter.equals(id) ? log.stable() : progress.containsKey(voter) ? progress.get(voter).match : 0L);
        }
        long candidate = MajorityQuorum.committedIndex(matched);
        if (candidate <= log.committed() || log.term(candidate) != term) {
            return false;
        }
        log.commitTo(candidate);
        List<ReadRequest> waiting = new ArrayList<>(readsAwaitingTermCommit);
        readsAwaitingTermCommit.clear();
        for (ReadRequest r : waiting) {
            readIndex(r.context(), r.requester());
        }
        // One change at a time: once the pending one is committed, the newest configuration is the
        // committed one, so this needs no scan of the log on every commit.
        if (pendingConfigurationIndex <= log.committed() && !configuration.isVoter(id)) {
            // No longer a voter, and that is committed: step aside (thesis 4.2.2).
            becomeFollower(term, null);
        }
        return true;
    }

    // ---- sending

    private void broadcastAppend() {
        for (String peer : progress.keySet()) {
            sendAppend(peer);
        }
    }

    private void broadcastHeartbeat(long context) {
        for (Map.Entry<String, Progress> e : progress.entrySet()) {
            long commit = Math.min(e.getValue().match, log.committed());
            send(new Message.Heartbeat(id, e.getKey(), term, commit, context));
        }
    }

    private void sendAppend(String to) {
        Progress pr = progress.get(to);
        if (pr == null || pr.isPaused(config.maxInflight())) {
            return;
        }
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        if (prevTerm < 0) {
            startSnapshot(to, pr);
            return;
        }
        List<LogEntry> entries = log.slice(pr.next, pr.next + config.maxEntriesPerAppend() - 1);
        send(new Message.AppendEntries(id, to, term, prevIndex, prevTerm, entries, log.committed()));
        pr.sent(entries.isEmpty() ? prevIndex : entries.get(entries.size() - 1).index(), !entries.isEmpty());
    }

    private void startSnapshot(String to, Progress pr) {
        if (snapshot == null) {
            return;
        }
        pr.becomeSnapshot(snapshot.index());
        sendSnapshotChunk(to, pr);
    }

    private void sendSnapshotChunk(String to, Progress pr) {
        byte[] data = snapshot.data();
        int from = (int) Math.min(pr.snapshotOffset, data.length);
        int to2 = Math.min(data.length, from + config.snapshotChunkBytes());
        byte[] chunk = java.util.Arrays.copyOfRange(data, from, to2);
        pr.snapshotSentAt = ticks;
        send(new Message.InstallSnapshot(id, to, term, snapshot.index(), snapshot.term(),
            new Configuration(snapshot.voters(), snapshot.learners()), from, chunk, to2 == data.length));
    }

    private void send(Message.Peer message) {
        outbox.add(message);
    }

    // ---- role changes

    private void becomeFollower(long newTerm, String newLeader) {
        if (newTerm != term) {
            term = newTerm;
            vote = null;
        }
        leader = newLeader;
        role = Role.FOLLOWER;
        stepFunction = this::stepFollower;
        reset();
    }

    private void becomePreCandidate() {
        role = Role.PRE_CANDIDATE;
        stepFunction = this::stepCandidate;
        leader = null;
        votes.clear();
    }

    private void becomeCandidate() {
        term++;
        vote = id;
        leader = null;
        role = Role.CANDIDATE;
        stepFunction = this::stepCandidate;
        reset();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = id;
        stepFunction = this::stepLeader;
        reset();
        for (String member : configuration.members()) {
            if (!member.equals(id)) {
                Progress pr = new Progress(log.lastIndex() + 1);
                pr.lastHeard = ticks;
                progress.put(member, pr);
            }
        }
        // A configuration entry the new leader finds uncommitted may still be pending.
        pendingConfigurationIndex = log.lastIndex();
        // A no-op of its own term lets the leader commit, and so learn the commit index (5.4.2, 8).
        log.append(LogEntry.noop(log.lastIndex() + 1, term, 0));
        broadcastAppend();
    }

    private void reset() {
        votes.clear();
        progress.clear();
        readOnly.clear();
        readsAwaitingTermCommit.clear();
        leadTransferee = null;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        resetElectionTimeout();
    }

    private void resetElectionTimeout() {
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    /** The newest configuration in the log (or the snapshot's); a leader tracks progress for it. */
    private void refreshConfiguration() {
        configuration = configurationAt(log.lastIndex());
        if (role == Role.LEADER) {
            progress.keySet().removeIf(member -> !configuration.contains(member));
            for (String member : configuration.members()) {
                if (!member.equals(id)) {
                    progress.computeIfAbsent(member, m -> {
                        Progress pr = new Progress(log.lastIndex() + 1);
                        pr.lastHeard = ticks;
                        return pr;
                    });
                }
            }
        }
    }

    // ---- output

    private HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    public boolean hasReady() {
        return !hardState().equals(persistedHardState) || snapshotToInstall != null || log.hasUnstable()
            || log.hasToApply() || !outbox.isEmpty() || !readStates.isEmpty();
    }

    public Ready ready() {
        HardState hs = hardState();
        boolean changed = !hs.equals(persistedHardState);
        List<LogEntry> unstable = log.unstable();
        boolean termAndVoteKept = hs.term() == persistedHardState.term() && Objects.equals(hs.vote(), persistedHardState.vote());
        boolean mustSync = !unstable.isEmpty() || snapshotToInstall != null || !termAndVoteKept;
        return new Ready(changed ? hs : null, mustSync, snapshotToInstall, unstable, log.toApply(), outbox, readStates,
            mustSync && termAndVoteKept);
    }

    /** The driver has done everything {@code ready} asked for. */
    public void advance(Ready ready) {
        if (ready.hardState() != null) {
            persistedHardState = ready.hardState();
        }
        if (ready.snapshot() != null && ready.snapshot() == snapshotToInstall) {
            snapshotToInstall = null;
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
        if (role == Role.LEADER && maybeCommit()) {
            broadcastAppend();
        }
    }

    /** The driver stored {@code snapshot} of its own state: the log up to it may go. */
    public void compact(Snapshot stored) {
        if (snapshot != null && stored.index() <= snapshot.index()) {
            // A leader's newer snapshot came while this one was being stored.
            return;
        }
        log.compact(stored.index());
        snapshot = stored;
        snapshotConfiguration = new Configuration(stored.voters(), stored.learners());
    }

    // ---- views

    /** The snapshot it holds, sent to followers that need one; {@code null} before the first. */
    public Snapshot snapshot() {
        return snapshot;
    }

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

    /** The leader's commit index as last heard of; this node's own where it leads. */
    public long leaderCommitIndex() {
        return role == Role.LEADER ? log.committed() : Math.max(leaderCommit, log.committed());
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

    /** The configuration in force at {@code index} (at most the last index), for a snapshot taken there. */
    public Configuration configurationAt(long index) {
        for (long i = Math.min(index, log.lastIndex()); i > log.snapshotIndex(); i--) {
            LogEntry e = log.slice(i, i).get(0);
            if (e.type() == LogEntry.Type.CONFIGURATION) {
                return Configuration.decode(e.data());
            }
        }
        return snapshotConfiguration;
    }

    /** Entries {@code from..to} still in the log (not compacted), inclusive. */
    public List<LogEntry> entries(long from, long to) {
        return log.slice(from, to);
    }

    /** A leader's view of how it replicates to each follower, for diagnostics. Empty on other nodes. */
    public Map<String, String> progressView() {
        Map<String, String> view = new TreeMap<>();
        progress.forEach((peer, pr) -> view.put(peer, pr.toString()));
        return view;
    }

    /** A leader's count of ticks since it last heard from each follower. Empty on other nodes. */
    public Map<String, Long> silentTicks() {
        Map<String, Long> silent = new TreeMap<>();
        progress.forEach((peer, pr) -> silent.put(peer, ticks - pr.lastHeard));
        return silent;
    }

    /** A leader's view of each follower's log: its match index. Empty on other nodes. */
    public Map<String, Long> matchIndexes() {
        Map<String, Long> matches = new TreeMap<>();
        progress.forEach((peer, pr) -> matches.put(peer, pr.match));
        return matches;
    }
}
