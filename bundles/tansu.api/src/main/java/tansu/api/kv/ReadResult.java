package tansu.api.kv;

import java.util.List;

/**
 * A read: the key ({@code null} where absent) and, where asked, its direct children in key order.
 *
 * @param revision the store's revision the read saw
 */
public record ReadResult(KeyValue key, List<KeyValue> children, long revision) {

    public ReadResult {
        children = List.copyOf(children);
    }

    public boolean isEmpty() {
        return key == null && children.isEmpty();
    }
}
