package tansu.itests.process;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.Op;

/**
 * Registers under {@code /jepsen/}: reads, writes and test-and-sets of unique values through random
 * nodes. A 200 (404 for a read of a missing key) is ok, a 409 of a test-and-set a certain failure,
 * anything else (timeouts, 503, 504, refused connections) unknown: it may still happen.
 */
final class RegisterWorkload implements Runnable {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final long KEY_SECONDS = 2;

    private final int process;
    private final List<Node> nodes;
    private final History history;
    private final long until;
    private final int keys;
    private final long start;
    private final Random random;
    private final Map<String, Long> lastSeen = new java.util.HashMap<>();
    private long next;

    /**
     * @param keys  how many keys are in use at a time; every {@link #KEY_SECONDS} all move on to new
     *              ones, which keeps each key's history short enough to check
     * @param start when the run began (System.nanoTime), the same for every client
     */
    RegisterWorkload(int process, List<Node> nodes, History history, long start, long until, int keys) {
        this.process = process;
        this.nodes = nodes;
        this.history = history;
        this.until = until;
        this.keys = keys;
        this.start = start;
        this.random = new Random(process);
    }

    @Override
    public void run() {
        while (System.nanoTime() < until) {
            Node node = nodes.get(random.nextInt(nodes.size()));
            long generation = (System.nanoTime() - start) / 1_000_000_000L / KEY_SECONDS;
            String key = "r" + (generation * keys + random.nextInt(keys));
            int dice = random.nextInt(10);
            boolean answered = dice < 5 ? read(node, key)
                : write(node, key, dice < 8 ? null : lastSeen.getOrDefault(key, 0L));
            if (!answered) {
                backOff();
            }
        }
    }

    /** After a failure: a client that retried at once would only burn the CPU the nodes need to recover. */
    static void backOff() {
        backOff(100);
    }

    /** Sleeps {@code ms}; an interrupt is kept for the caller's loop to see. */
    static void backOff(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return Node.Http.CLIENT.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the node answered with a value. */
    private boolean read(Node node, String key) {
        long invoke = System.nanoTime();
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(node.uri("/api/keys/jepsen/" + key)).GET());
            long complete = System.nanoTime();
            // A 404 says the key is absent only when the keys API says it (it names the key).
            boolean absent = r.statusCode() == 404 && Probe.JSON.readTree(r.body()).path("key").asText().equals("/jepsen/" + key);
            if (r.statusCode() == 200 || absent) {
                long value = absent ? 0 : Long.parseLong(Probe.JSON.readTree(r.body()).path("value").asText());
                lastSeen.put(key, value);
                history.add(new Op(process, "read", key, value, 0, invoke, complete, Op.Outcome.OK));
                return true;
            }
        } catch (Exception unanswered) {
            // a read nobody saw the answer of says nothing
        }
        history.add(new Op(process, "read", key, 0, 0, invoke, Op.NEVER, Op.Outcome.UNKNOWN));
        return false;
    }

    /** A write, or with {@code expected} a test-and-set (0: the key must not exist); whether the node decided it. */
    private boolean write(Node node, String key, Long expected) {
        long value = (long) process * 1_000_000_000L + ++next;
        String form = "value=" + value + (expected == null ? "" : expected == 0 ? "&prevExist=false" : "&prevValue=" + expected);
        String f = expected == null ? "write" : "cas";
        long invoke = System.nanoTime();
        Op.Outcome outcome = Op.Outcome.UNKNOWN;
        long complete = Op.NEVER;
        boolean answered = false;
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(node.uri("/api/keys/jepsen/" + key))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form)));
            answered = r.statusCode() == 200 || r.statusCode() == 409;
            if (r.statusCode() == 200) {
                outcome = Op.Outcome.OK;
                complete = System.nanoTime();
                lastSeen.put(key, value);
            } else if (r.statusCode() == 409 && expected != null) {
                outcome = Op.Outcome.FAIL;
                complete = System.nanoTime();
                JsonNode current = Probe.JSON.readTree(r.body()).path("value");
                if (current.isTextual()) {
                    lastSeen.put(key, Long.parseLong(current.asText()));
                }
            }
        } catch (java.net.ConnectException refused) {
            return false; // never sent: not an operation
        } catch (Exception unanswered) {
            // unknown: it may still take effect
        }
        history.add(new Op(process, f, key, value, expected == null ? 0 : expected, invoke, complete, outcome));
        return answered;
    }
}
