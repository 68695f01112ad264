package tansu.api.kv;

import java.util.List;

/** The outcome of a write. */
public sealed interface KvResult {

    /** The value was stored; {@code previous} is {@code null} where the key was created. */
    record Written(KeyValue current, KeyValue previous) implements KvResult {
    }

    /**
     * Keys were deleted. {@code key} is the deleted key itself ({@code null} where only keys below
     * it existed); {@code all} lists every deleted key, in revision order.
     */
    record Deleted(KeyValue key, List<KeyValue> all) implements KvResult {
        public Deleted {
            all = List.copyOf(all);
        }
    }

    /** Nothing was changed: the condition failed on {@code current} ({@code null}: the key is absent). */
    record ConditionFailed(String key, KeyValue current) implements KvResult {
    }

    /** Nothing to delete. */
    record NotFound(String key) implements KvResult {
    }
}
