package tansu.api.kv;

/**
 * A test for test-and-set: every part given must hold for the write to happen.
 *
 * @param prevExist {@code true}: the key must exist; {@code false}: it must not; {@code null}: either
 * @param prevValue the current value's bytes must equal these; {@code null}: any
 * @param prevIndex the key's {@code updated} revision must equal this; {@code null}: any
 */
public record Condition(Boolean prevExist, byte[] prevValue, Long prevIndex) {

    public static final Condition NONE = new Condition(null, null, null);

    public boolean isNone() {
        return prevExist == null && prevValue == null && prevIndex == null;
    }

    /** Whether the key's current state passes; {@code current} is {@code null} for an absent key. */
    public boolean holdsFor(KeyValue current) {
        if (prevExist != null && prevExist != (current != null)) {
            return false;
        }
        if (prevValue != null && (current == null || !current.value().sameBytes(prevValue))) {
            return false;
        }
        return prevIndex == null || (current != null && current.updated() == prevIndex);
    }
}
