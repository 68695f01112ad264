package tansu.api.kv;

/**
 * A key with its value and metadata.
 *
 * @param created   revision that created the key
 * @param updated   revision of its latest change
 * @param ttl       the ttl it was last set with, seconds; 0 where it does not expire
 * @param expiresAt when it expires (the leader's clock, epoch milliseconds); 0 where it does not
 */
public record KeyValue(String key, Value value, long created, long updated, long ttl, long expiresAt) {

    /** The parent key: {@code /a} for {@code /a/b}, {@code /} for {@code /a}, none for {@code /}. */
    public String parent() {
        return Keys.parent(key);
    }
}
