package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node started after its cluster was founded joins it: the leader adds it as a learner, it catches up
 * (from a snapshot, the log being compacted), and it becomes a voter.
 */
public class JoinTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @Rule
    public final Nodes nodes = new Nodes();


    private static JsonNode consensus(Node n) throws Exception {
        return JSON.readTree(Node.Http.get(n, "/api/info").body()).path("consensus");
    }

    @Test
    public void aLateNodeJoinsAsALearnerCatchesUpAndBecomesAVoter() throws Exception {
        List<Node> cluster3 = nodes.addAll(Node.startCluster("join", 3, "--snapshot-count", "20", "--snapshot-log-ratio", "0"));
        for (int i = 0; i < 50; i++) {
            assertEquals(200, Node.Http.form(cluster3.get(i % 3), "PUT", "/api/keys/before/" + i, "value=" + i).statusCode());
        }
        String cluster = consensus(cluster3.get(0)).path("cluster").asText();

        // The newcomer knows where the cluster is, and counts itself: it founds nothing, it joins.
        int port = Node.freePort();
        List<String> all = new ArrayList<>();
        for (Node n : cluster3) {
            all.add(n.address());
        }
        all.add("127.0.0.1:" + port);
        Node late = new Node("join-4", port, List.of("--members", String.join(",", all), "--bootstrap-expect", "3"));
        nodes.add(late);
        List<Node> four = new ArrayList<>(cluster3);
        four.add(late);
        late.launch();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode c = null;
        while (c == null || !cluster.equals(c.path("cluster").asText()) || !"follower".equals(c.path("role").asText())) {
            assertTrue("the late node became a voting follower of the cluster: " + c, System.nanoTime() < deadline);
            Thread.sleep(100);
            try {
                c = consensus(late);
            } catch (java.io.IOException notListeningYet) {
                c = null;
            }
        }
        assertEquals("{\"value\":\"42\"}", Node.Http.get(late, "/api/keys/before/42").body());
        assertEquals(200, Node.Http.form(late, "PUT", "/api/keys/after", "value=joined").statusCode());
        for (Node n : four) {
            // Each node learns the new configuration as it applies it: wait for that.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (consensus(n).path("connections").size() != 3) {
                assertTrue(n.name + " sees the four members: " + consensus(n), System.nanoTime() < until);
                Thread.sleep(50);
            }
            assertEquals("{\"value\":\"joined\"}", Node.Http.get(n, "/api/keys/after").body());
        }
        assertTrue(late.output().contains("Joining cluster " + cluster));
        assertTrue(late.output().contains("Installed the leader's snapshot"));
        assertEquals(200, Node.Http.send(HttpRequest.newBuilder(late.uri("/api/info")).GET()).statusCode());
    }
}
