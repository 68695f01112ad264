package tansu.raft.core;

import java.util.List;

import tansu.api.storage.HardState;
import tansu.api.storage.LogEntry;

/**
 * Everything the core wants done, in the order it must be done: persist {@code entries} and
 * {@code hardState} (with an fsync where {@code mustSync}), then send {@code messages}, then apply
 * {@code committed}, then hand the batch back to {@link RaftCore#advance}.
 *
 * @param hardState  the hard state to store, {@code null} where unchanged
 * @param mustSync   whether persisting needs an fsync before anything is sent or acknowledged
 *                   (a change of term, vote or entries; a commit index alone can be written lazily)
 * @param entries    log entries to store, replacing any stored from the first one's index on
 * @param committed  entries now known committed, to apply in order
 * @param messages   messages for peers
 * @param readStates answers to read-index requests
 */
public record Ready(HardState hardState, boolean mustSync, List<LogEntry> entries, List<LogEntry> committed,
                   List<Message> messages, List<ReadState> readStates) {

    public Ready {
        entries = List.copyOf(entries);
        committed = List.copyOf(committed);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }
}
