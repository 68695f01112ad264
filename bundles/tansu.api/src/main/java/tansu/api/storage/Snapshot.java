package tansu.api.storage;

import java.util.List;

/**
 * The applied state of every state machine at one log position.
 *
 * @param index    last log index the snapshot includes
 * @param term     term of that entry
 * @param voters   the cluster configuration at that index: who votes
 * @param learners and who only receives the log
 * @param data     the machines' states, as the consensus bundle encodes them
 */
public record Snapshot(long index, long term, List<String> voters, List<String> learners, byte[] data) {

    public Snapshot {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
    }
}
