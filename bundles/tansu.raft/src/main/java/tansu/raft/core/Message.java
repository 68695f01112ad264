package tansu.raft.core;

import java.util.List;

import tansu.api.storage.LogEntry;

/**
 * An input to {@link RaftCore#step}: a local request, or a message between peers. Peer messages carry
 * the sender's term; the core answers them only through the messages of its {@link Ready} batches.
 */
public sealed interface Message {

    // ---- local requests

    /** Start an election now, without waiting for the election timeout. */
    record Hup() implements Message {
    }

    /** Append these commands to the log; a follower forwards them to its leader. */
    record Propose(List<Proposal> proposals) implements Message {
        public Propose {
            proposals = List.copyOf(proposals);
        }
    }

    /** Ask for a read index: {@code context} comes back in a {@link ReadState}. */
    record ReadIndex(long context) implements Message {
    }

    /** Hand leadership to {@code target} (a voter); only a leader acts on it. */
    record TransferLeader(String target) implements Message {
    }

    /** Replace the configuration (one change at a time); only a leader acts on it. */
    record ChangeConfiguration(Configuration next) implements Message {
    }

    /**
     * Add {@code member} as a learner, or remove it; the leader works out the new configuration from
     * its own, and a follower forwards the request to it.
     */
    record ChangeMembership(String member, boolean add) implements Message {
    }

    // ---- between peers

    /** A message between two nodes of a cluster. */
    sealed interface Peer extends Message {
        String from();

        String to();

        long term();
    }

    /** Entries following (prevIndex, prevTerm); with none, a probe. */
    record AppendEntries(String from, String to, long term, long prevIndex, long prevTerm, List<LogEntry> entries,
                         long commit) implements Peer {
        public AppendEntries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The answer to {@link AppendEntries} (and to a completed snapshot). Accepted: the follower's log
     * matches the leader's up to {@code index}. Rejected: {@code index} is the prevIndex refused and
     * {@code hint} where the leader should try next.
     */
    record AppendResponse(String from, String to, long term, long index, boolean reject, long hint) implements Peer {
    }

    /** A leader's heartbeat; {@code context} is the newest read-index request it wants confirmed, or 0. */
    record Heartbeat(String from, String to, long term, long commit, long context) implements Peer {
    }

    record HeartbeatResponse(String from, String to, long term, long context) implements Peer {
    }

    /** A request for a vote, or with {@code preVote} for an opinion without changing terms (thesis 9.6). */
    record RequestVote(String from, String to, long term, long lastIndex, long lastTerm, boolean preVote,
                       boolean transfer) implements Peer {
    }

    record VoteResponse(String from, String to, long term, boolean granted, boolean preVote) implements Peer {
    }

    /** One chunk of a snapshot; the follower acknowledges each before the next is sent. */
    record InstallSnapshot(String from, String to, long term, long index, long snapshotTerm, Configuration configuration,
                           long offset, byte[] chunk, boolean done) implements Peer {
    }

    /** Chunk received ({@code nextOffset} bytes so far), or rejected: start again from 0. */
    record SnapshotResponse(String from, String to, long term, long index, long nextOffset, boolean reject)
        implements Peer {
    }

    /** Leadership transfer: campaign now, ignoring leases (thesis 3.10). */
    record TimeoutNow(String from, String to, long term) implements Peer {
    }

    /** Proposals a follower forwards to its leader. */
    record ForwardPropose(String from, String to, long term, List<Proposal> proposals) implements Peer {
        public ForwardPropose {
            proposals = List.copyOf(proposals);
        }
    }

    /** A follower forwards a membership change, or a leadership transfer ({@code target}), to its leader. */
    record AdminRequest(String from, String to, long term, String member, boolean add, String target) implements Peer {
    }

    /** A follower asks its leader for a read index. */
    record ReadIndexRequest(String from, String to, long term, long context) implements Peer {
    }

    record ReadIndexResponse(String from, String to, long term, long context, long index) implements Peer {
    }
}
