package tansu.raft.internal;

import java.util.Set;

/**
 * Faults the transport injects into what it sends, for tests: each batch is dropped with probability
 * {@code drop}, held {@code delayMs} first, and never sent to a node in {@code cut}.
 */
public record TransportFaults(double drop, long delayMs, Set<String> cut) {

    static final TransportFaults NONE = new TransportFaults(0, 0, Set.of());

    public TransportFaults {
        cut = Set.copyOf(cut);
    }
}
