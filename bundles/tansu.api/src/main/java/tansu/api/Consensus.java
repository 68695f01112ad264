package tansu.api;

import java.util.concurrent.CompletionStage;

/**
 * The replicated log of a node, as seen by state machines and their front ends.
 *
 * <p>Every method may be called from any thread and never blocks: results arrive through the
 * returned stage, completed on the consensus bundle's own threads, which every request of the node
 * shares. A continuation that can block (a blocking write to a client, say) belongs on a thread of
 * the caller's: {@code AsyncContext.start}, an executor of its own.
 */
public interface Consensus {

    /**
     * Replicates {@code command} to the state machine named {@code machine} and completes with the
     * result that machine returned when this node applied the entry. Fails with
     * {@link NoLeaderException} while no leader is known.
     */
    CompletionStage<Object> propose(String machine, byte[] command);

    /**
     * {@link #propose}, for a caller whose continuations are short and never wait (on I/O that can
     * block, on a lock held elsewhere, on another stage of this service): the stage may then complete
     * on the thread that drives consensus, which saves a thread hand-off on a write's path.
     * Continuations that can wait belong on {@link #propose}.
     */
    default CompletionStage<Object> proposeDirect(String machine, byte[] command) {
        return propose(machine, command);
    }

    /**
     * Completes once this node's applied state reflects every write that completed, anywhere in the
     * cluster, before this call (ReadIndex). Read the state machine after it completes.
     */
    CompletionStage<Void> readBarrier();

    /** A consistent picture of this node's view of the cluster, taken now. */
    NodeStatus status();

    /** The members of the cluster's configuration, as this node knows them. */
    java.util.List<Member> members();

    /**
     * Asks the leader to add the node answering at {@code host:port} as a learner (it becomes a voter
     * once caught up). Completes once the leader has the request; the change itself follows.
     */
    CompletionStage<Void> addMember(String host, int port);

    /** Asks the leader to take {@code id} out of the configuration (one change at a time). */
    CompletionStage<Void> removeMember(String id);

    /** Asks the leader to hand leadership to the voter {@code id}. */
    CompletionStage<Void> transferLeadership(String id);
}
