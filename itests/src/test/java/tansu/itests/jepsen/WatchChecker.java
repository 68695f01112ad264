package tansu.itests.jepsen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watchers of one prefix, each resuming with {@code Last-Event-ID} wherever its stream broke off:
 * each must see every change exactly once, in revision order, each revision the same change on every
 * node, and every key the final read found.
 */
public final class WatchChecker {

    /** One change as a watcher received it. */
    public record Event(long id, String event, String key, String value) {
    }

    private WatchChecker() {
    }

    /**
     * @param seen    each watcher's events in the order it received them; every watcher began at revision 0
     * @param present the keys a final read found, after every watcher caught up
     */
    public static List<String> anomalies(Map<String, List<Event>> seen, Set<String> present) {
        List<String> bad = new ArrayList<>();
        Map<Long, Event> byId = new HashMap<>();
        TreeSet<Long> all = new TreeSet<>();
        seen.forEach((watcher, events) -> {
            long last = 0;
            Set<String> keys = new HashSet<>();
            for (Event e : events) {
                if (e.id() <= last) {
                    bad.add(watcher + ": revision " + e.id() + " after " + last);
                }
                last = Math.max(last, e.id());
                if (e.event().equals("set") && !keys.add(e.key())) {
                    bad.add(watcher + ": " + e.key() + " set twice (written once)");
                }
                Event other = byId.putIfAbsent(e.id(), e);
                if (other != null && !other.equals(e)) {
                    bad.add("revision " + e.id() + " is " + other + " to one watcher, " + e + " to " + watcher);
                }
                all.add(e.id());
            }
        });
        seen.forEach((watcher, events) -> {
            Set<Long> ids = new HashSet<>();
            events.forEach(e -> ids.add(e.id()));
            long last = events.isEmpty() ? 0 : events.get(events.size() - 1).id();
            for (long id : all.headSet(last, true)) {
                if (!ids.contains(id)) {
                    bad.add(watcher + ": missed revision " + id);
                }
            }
            Set<String> keys = new HashSet<>();
            events.forEach(e -> keys.add(e.key()));
            for (String key : new TreeSet<>(present)) {
                if (!keys.contains(key)) {
                    bad.add(watcher + ": never saw " + key);
                }
            }
        });
        return bad;
    }
}
