package tansu.api.kv;

/** Delete {@code key} and everything below it, where the condition holds (of {@code key} itself). */
public record DeleteRequest(String key, Condition condition) {
}
