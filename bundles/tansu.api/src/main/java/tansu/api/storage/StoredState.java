package tansu.api.storage;

import java.util.List;
import java.util.Map;

/**
 * What a node finds on disk when it starts.
 *
 * @param nodeId    this node's id, created with the data directory and never changed
 * @param clusterId the cluster it belongs to, {@code null} before it joined or bootstrapped one
 * @param snapshot  the newest snapshot, {@code null} where none was taken
 * @param entries   the log after the snapshot, in index order
 * @param peers     the last known address ({@code host:port}) of each peer by node id
 */
public record StoredState(String nodeId, String clusterId, HardState hardState, Snapshot snapshot,
                          List<LogEntry> entries, Map<String, String> peers) {

    public StoredState {
        entries = List.copyOf(entries);
        peers = Map.copyOf(peers);
    }
}
