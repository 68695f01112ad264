package tansu.raft.core;

import java.util.ArrayList;
import java.util.List;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * Everything the core wants done, in the order it must be done: install {@code snapshot} (into storage
 * and the state machines), send {@link #beforeSync()}, persist {@code entries} and {@code hardState}
 * (with an fsync where {@code mustSync}), then send {@link #afterSync()}, then apply {@code committed},
 * then hand the batch back to {@link RaftCore#advance}. (Sending all of {@code messages} after
 * persisting is correct too, only slower.)
 *
 * @param hardState  the hard state to store, {@code null} where unchanged
 * @param mustSync   whether persisting needs an fsync before anything is sent or acknowledged
 *                   (a change of term, vote or entries; a commit index alone can be written lazily)
 * @param snapshot   a snapshot received from the leader, replacing the log and the machines' state;
 *                   {@code null} mostly
 * @param entries    log entries to store, replacing any stored from the first one's index on
 * @param committed  entries now known committed, to apply in order
 * @param messages   messages for peers
 * @param readStates answers to read-index requests
 * @param earlySends whether a leader's appends among {@code messages} may leave before this batch is
 *                   persisted (Raft thesis 10.2.1: its own copy counts only once {@code advance}
 *                   follows the fsync); never where the term or vote changes, which must be durable
 *                   before anything leaves
 */
public record Ready(HardState hardState, boolean mustSync, Snapshot snapshot, List<LogEntry> entries,
                    List<LogEntry> committed, List<Message.Peer> messages, List<ReadState> readStates,
                    boolean earlySends) {

    public Ready {
        entries = List.copyOf(entries);
        committed = List.copyOf(committed);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }

    /** What may leave before persisting: where {@code earlySends}, the appends, heartbeats and snapshot chunks. */
    public List<Message.Peer> beforeSync() {
        return earlySends ? select(true) : List.of();
    }

    /** What must wait until the batch is persisted: answers, votes, and everything where not {@code earlySends}. */
    public List<Message.Peer> afterSync() {
        return earlySends ? select(false) : messages;
    }

    private List<Message.Peer> select(boolean replicating) {
        List<Message.Peer> selected = new ArrayList<>(messages.size());
        for (Message.Peer m : messages) {
            if (replicates(m) == replicating) {
                selected.add(m);
            }
        }
        return selected;
    }

    /** What a leader sends to replicate its log: nothing in it says this node's own copy is durable. */
    private static boolean replicates(Message.Peer m) {
        return m instanceof Message.AppendEntries || m instanceof Message.Heartbeat || m instanceof Message.InstallSnapshot;
    }
}
