package tansu.api;

import java.util.Map;

/**
 * One change made by a state machine, the same on every node.
 *
 * @param revision the machine's revision of the change: strictly increasing, identical on every node
 * @param type     what happened ({@code set}, {@code deleted}, ...), the SSE event name
 * @param key      what it happened to
 * @param data     the SSE data object: values are strings, numbers, booleans, lists, maps or JSON trees
 */
public record ChangeEvent(long revision, String type, String key, Map<String, Object> data) {

    public ChangeEvent {
        data = FrozenMap.of(data);
    }
}
