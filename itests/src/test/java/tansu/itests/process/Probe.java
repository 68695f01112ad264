package tansu.itests.process;

import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a test asks a node about the cluster, and waiting for the answer it expects. */
final class Probe {

    static final ObjectMapper JSON = new ObjectMapper();

    private Probe() {
    }

    /** The node's {@code consensus} part of {@code /api/info}; empty while it does not answer. */
    static JsonNode consensus(Node n) {
        return get(n, "/api/info").path("consensus");
    }

    /** {@code /api/cluster}; empty while the node does not answer. */
    static JsonNode cluster(Node n) {
        return get(n, "/api/cluster");
    }

    private static JsonNode get(Node n, String path) {
        try {
            return JSON.readTree(Node.Http.get(n, path).body());
        } catch (Exception notNow) {
            return JSON.createObjectNode();
        }
    }

    /** The cluster a node says it is in, or "" while in none (or not answering). */
    static String clusterId(Node n) {
        JsonNode c = consensus(n).path("cluster");
        return c.isTextual() ? c.asText() : "";
    }

    static int voters(JsonNode cluster) {
        int voters = 0;
        for (JsonNode m : cluster.path("members")) {
            voters += "voter".equals(m.path("role").asText()) ? 1 : 0;
        }
        return voters;
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(what, System.nanoTime() < deadline);
            Thread.sleep(200);
        }
    }

    /**
     * Indexes into {@code nodes}: the leader's first, then the others'. Waits (up to 20 s) until every
     * node names the same leader, one of {@code nodes}: right after a start, or on a loaded machine,
     * an election may still be under way, and a test that took a follower for the leader would stop
     * the wrong node.
     */
    static int[] leaderFirst(java.util.List<Node> nodes) throws InterruptedException {
        int[] order = new int[nodes.size()];
        await("one leader every node names", Duration.ofSeconds(20), () -> {
            String leader = cluster(nodes.get(0)).path("leader").asText("");
            int at = -1;
            for (int i = 0; i < nodes.size(); i++) {
                if (!cluster(nodes.get(i)).path("leader").asText("").equals(leader)) {
                    return false;
                }
                if (consensus(nodes.get(i)).path("id").asText().equals(leader)) {
                    at = i;
                }
            }
            if (leader.isEmpty() || at < 0) {
                return false;
            }
            order[0] = at;
            int next = 1;
            for (int i = 0; i < nodes.size(); i++) {
                if (i != at) {
                    order[next++] = i;
                }
            }
            return true;
        });
        return order;
    }
}
