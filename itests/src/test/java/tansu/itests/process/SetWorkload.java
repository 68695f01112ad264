package tansu.itests.process;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.Op;

/**
 * Unique-key writes under {@link #PREFIX} through random nodes, in groups of a minute (so that a final
 * read lists a bounded number of children per key): each key written once, never retried. A 200 is
 * ok, a 4xx a certain failure, anything else unknown.
 */
final class SetWorkload implements Runnable {

    static final String PREFIX = "/jepsen-set";
    static final long GROUP_SECONDS = 60;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final int process;
    private final List<Node> nodes;
    private final History history;
    private final long start;
    private final long until;
    private final Random random;
    private long next;

    SetWorkload(int process, List<Node> nodes, History history, long start, long until) {
        this.process = process;
        this.nodes = nodes;
        this.history = history;
        this.start = start;
        this.until = until;
        this.random = new Random(100 + process);
    }

    @Override
    public void run() {
        while (System.nanoTime() < until) {
            Node node = nodes.get(random.nextInt(nodes.size()));
            long group = (System.nanoTime() - start) / 1_000_000_000L / GROUP_SECONDS;
            String key = PREFIX + "/g" + group + "/" + process + "-" + ++next;
            long invoke = System.nanoTime();
            Op.Outcome outcome = Op.Outcome.UNKNOWN;
            long complete = Op.NEVER;
            try {
                HttpResponse<String> r = Node.Http.CLIENT.send(HttpRequest.newBuilder(node.uri("/api/keys" + key))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(TIMEOUT)
                    .PUT(HttpRequest.BodyPublishers.ofString("value=" + next)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    outcome = Op.Outcome.OK;
                    complete = System.nanoTime();
                } else if (r.statusCode() >= 400 && r.statusCode() < 500) {
                    outcome = Op.Outcome.FAIL;
                    complete = System.nanoTime();
                }
            } catch (java.net.ConnectException refused) {
                RegisterWorkload.backOff();
                continue; // never sent: not an operation
            } catch (Exception unanswered) {
                // unknown: it may still take effect
            }
            history.add(new Op(process, "add", key, next, 0, invoke, complete, outcome));
            if (outcome != Op.Outcome.OK) {
                RegisterWorkload.backOff();
            }
        }
    }

    /** Every key under {@link #PREFIX} of a run that began at {@code start}, by linearizable reads through {@code node}. */
    static Set<String> readAll(Node node, long start) throws Exception {
        Set<String> keys = new HashSet<>();
        long groups = (System.nanoTime() - start) / 1_000_000_000L / GROUP_SECONDS;
        for (long g = 0; g <= groups; g++) {
            String path = "/api/keys" + PREFIX + "/g" + g + "?children=true";
            HttpResponse<String> r = Node.Http.get(node, path);
            if (r.statusCode() == 404) {
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + " " + r.body());
            }
            JsonNode children = Probe.JSON.readTree(r.body()).path("children");
            children.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }
}
