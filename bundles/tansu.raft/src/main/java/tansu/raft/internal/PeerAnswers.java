package tansu.raft.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

import tansu.raft.core.Message;

/**
 * Peers whose request waits for the answers its batch gets: what the driver sends such a peer in the
 * same round, after its fsync, goes back in the response instead of in a request of its own. Driver
 * thread only.
 */
final class PeerAnswers {

    /** A peer's request and the answers collected for it. */
    private record Waiting(CompletableFuture<List<Message.Peer>> future, List<Message.Peer> messages) {
    }

    private final Map<String, Waiting> waiting = new HashMap<>();

    /**
     * Answers for {@code peer} go to {@code future} until {@link #answer}. Answers whether it was
     * registered: where a batch of the same peer waits already, that one carries them.
     */
    boolean await(String peer, CompletableFuture<List<Message.Peer>> future) {
        return waiting.putIfAbsent(peer, new Waiting(future, new ArrayList<>())) == null;
    }

    /**
     * Keeps the answers to waiting peers that may ride in a response ({@code faulty} peers excepted:
     * what goes to them meets the injected faults of a request); answers the rest, to be sent.
     */
    List<Message.Peer> route(List<Message.Peer> messages, Predicate<String> faulty) {
        if (waiting.isEmpty()) {
            return messages;
        }
        List<Message.Peer> rest = new ArrayList<>(messages.size());
        for (Message.Peer m : messages) {
            Waiting w = waiting.get(m.to());
            if (w != null && isAnswer(m) && !faulty.test(m.to())) {
                w.messages().add(m);
            } else {
                rest.add(m);
            }
        }
        return rest;
    }

    /** What may ride in a response: the small answers to what a peer asked, never entries or snapshot chunks. */
    static boolean isAnswer(Message.Peer m) {
        return m instanceof Message.AppendResponse || m instanceof Message.HeartbeatResponse
            || m instanceof Message.VoteResponse || m instanceof Message.SnapshotResponse
            || m instanceof Message.ReadIndexResponse;
    }

    /** Completes every waiting request; the answers of one that gave up waiting go to {@code send}. */
    void answer(Consumer<List<Message.Peer>> send) {
        for (Waiting w : waiting.values()) {
            if (!w.future().complete(List.copyOf(w.messages())) && !w.messages().isEmpty()) {
                send.accept(w.messages());
            }
        }
        waiting.clear();
    }
}
