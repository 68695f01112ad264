package tansu.itests.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.WatchChecker;

/**
 * A watcher of {@link SetWorkload#PREFIX} and below, as a browser's EventSource would be: it resumes
 * with {@code Last-Event-ID} on a random node whenever its stream ends or falls silent, and of its own
 * accord every few seconds, from revision 0 on. Runs until stopped.
 */
final class WatchWorkload implements Runnable {

    private final String name;
    private final List<Node> nodes;
    private final History history;
    private final Random random;
    private final List<WatchChecker.Event> events = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private final List<String> resets = new ArrayList<>();
    private volatile boolean stopped;
    private long last;
    private int streams;

    WatchWorkload(String name, List<Node> nodes, History history, long seed) {
        this.name = name;
        this.nodes = nodes;
        this.history = history;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        while (!stopped) {
            Node node = nodes.get(random.nextInt(nodes.size()));
            streams++;
            try (EventStream s = new EventStream(node.uri("/api/keys" + SetWorkload.PREFIX + "?stream=true&children=true"),
                Map.of("Last-Event-ID", Long.toString(last)), Duration.ofSeconds(3))) {
                if (s.status() != 200) {
                    Thread.sleep(200);
                    continue;
                }
                long leaveAt = System.nanoTime() + Duration.ofMillis(2_000 + random.nextInt(8_000)).toNanos();
                while (!stopped && System.nanoTime() < leaveAt) {
                    EventStream.Frame f = s.poll(Duration.ofSeconds(5));
                    if (f == null) {
                        break; // ended, or silent while writes go on: resume elsewhere
                    }
                    if (f.event().equals("reset")) {
                        synchronized (this) {
                            resets.add("reset after " + last + " on " + node.name);
                        }
                        break;
                    }
                    if (f.id() == null) {
                        continue;
                    }
                    JsonNode data = Probe.JSON.readTree(f.data());
                    WatchChecker.Event e = new WatchChecker.Event(Long.parseLong(f.id()), f.event(), data.path("key").asText(),
                        data.path(f.event().equals("set") ? "value" : "deleted").asText());
                    synchronized (this) {
                        events.add(e);
                        keys.add(e.key());
                        last = e.id();
                    }
                    history.record("{\"watch\":\"" + name + "\",\"node\":\"" + node.name + "\",\"id\":" + e.id() + ",\"event\":\""
                        + e.event() + "\",\"key\":\"" + e.key() + "\",\"at\":" + f.at() + "}");
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception unavailable) {
                RegisterWorkload.backOff(200);
            }
        }
    }

    void stop() {
        stopped = true;
    }

    String name() {
        return name;
    }

    synchronized boolean sawAll(Set<String> expected) {
        return keys.containsAll(expected);
    }

    synchronized List<WatchChecker.Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> resets() {
        return List.copyOf(resets);
    }

    int streams() {
        return streams;
    }
}
