package tansu.raft.core;

import java.util.List;

/** An input to {@link RaftCore#step}: a local request or (later) a peer's message. */
public sealed interface Message {

    /** Start an election now, without waiting for the election timeout. */
    record Hup() implements Message {
    }

    /** Append these commands to the log; only a leader can. */
    record Propose(List<Proposal> proposals) implements Message {
        public Propose {
            proposals = List.copyOf(proposals);
        }
    }

    /** Ask for a read index: {@code context} comes back in a {@link ReadState}. */
    record ReadIndex(long context) implements Message {
    }
}
