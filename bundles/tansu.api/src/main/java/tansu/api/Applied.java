package tansu.api;

import java.util.List;

/**
 * What applying one entry produced.
 *
 * @param result handed to the proposer's waiting request (only on the node that proposed it)
 * @param events the changes made, in revision order, identical on every node
 */
public record Applied(Object result, List<ChangeEvent> events) {

    public Applied {
        events = List.copyOf(events);
    }

    public static Applied of(Object result) {
        return new Applied(result, List.of());
    }
}
