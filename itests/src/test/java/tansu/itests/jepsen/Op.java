package tansu.itests.jepsen;

/**
 * One client operation as the history records it: what was asked, between when and when (System.nanoTime),
 * and how it ended. Register operations carry values: a write's or a test-and-set's new value, a read's
 * result (0 for a key that does not exist), a test-and-set's expected value.
 */
public record Op(int process, String f, String key, long value, long expected, long invoke, long complete, Outcome outcome) {

    /** {@code ok}: it happened; {@code fail}: it certainly did not; {@code unknown}: it may have, at any time after it began. */
    public enum Outcome { OK, FAIL, UNKNOWN }

    /** A completion time for an operation whose client never heard back. */
    public static final long NEVER = Long.MAX_VALUE;

    public String json() {
        return "{\"process\":" + process + ",\"f\":\"" + f + "\",\"key\":\"" + key + "\",\"value\":" + value
            + ",\"expected\":" + expected + ",\"invoke\":" + invoke + ",\"complete\":" + (complete == NEVER ? -1 : complete)
            + ",\"outcome\":\"" + outcome.name().toLowerCase(java.util.Locale.ROOT) + "\"}";
    }
}
