package tansu.raft.core;

import java.util.List;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;
import tansu.api.storage.Snapshot;

/**
 * Everything the core wants done, in the order it must be done: install {@code snapshot} (into storage
 * and the state machines), persist {@code entries} and {@code hardState} (with an fsync where
 * {@code mustSync}), then send {@code messages}, then apply {@code committed}, then hand the batch
 * back to {@link RaftCore#advance}.
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
 */
public record Ready(HardState hardState, boolean mustSync, Snapshot snapshot, List<LogEntry> entries,
                    List<LogEntry> committed, List<Message.Peer> messages, List<ReadState> readStates) {

    public Ready {
        entries = List.copyOf(entries);
        committed = List.copyOf(committed);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }
}
