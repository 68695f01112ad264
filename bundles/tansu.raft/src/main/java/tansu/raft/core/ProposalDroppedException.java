package tansu.raft.core;

/** A proposal or read request that this node cannot take now, for example for want of a leader. */
public final class ProposalDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProposalDroppedException(String message) {
        super(message);
    }
}
