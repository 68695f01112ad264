package tansu.api.storage;

/**
 * What Raft must remember across crashes.
 *
 * @param term   the latest term this node has seen
 * @param vote   whom it voted for in that term, {@code null} for nobody
 * @param commit the highest index it knows to be committed
 */
public record HardState(long term, String vote, long commit) {

    public static final HardState EMPTY = new HardState(0, null, 0);
}
