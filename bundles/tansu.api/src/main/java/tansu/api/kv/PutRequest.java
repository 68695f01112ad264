package tansu.api.kv;

/** Assign {@code value} to {@code key}, expiring after {@code ttl} seconds where above 0. */
public record PutRequest(String key, Value value, long ttl, Condition condition) {
}
