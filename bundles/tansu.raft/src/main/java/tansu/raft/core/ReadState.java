package tansu.raft.core;

/**
 * Answer to a {@link Message.ReadIndex}: once the state machines have applied {@code index}, a read
 * sees every write that completed before the request.
 */
public record ReadState(long context, long index) {
}
