package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Nodes with no member list find each other by mDNS on loopback, found one cluster, and take in a late one. */
public class MdnsDiscoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @Rule
    public final Nodes nodes = new Nodes();


    private static JsonNode consensus(Node n) {
        try {
            return JSON.readTree(Node.Http.get(n, "/api/info").body()).path("consensus");
        } catch (Exception notYet) {
            return JSON.createObjectNode();
        }
    }

    private static void await(String what, Duration within, java.util.function.BooleanSupplier condition)
        throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(what, System.nanoTime() < deadline);
            Thread.sleep(200);
        }
    }

    private Node launch(String name, String... args) throws Exception {
        Node n = new Node(name, Node.freePort(), List.of(args));
        nodes.add(n);
        n.launch();
        return n;
    }

    @Test
    public void threeNodesFoundOneClusterAFourthJoinsAndAnotherEnvironmentStaysOut() throws Exception {
        List<Node> founders = List.of(launch("mdns-1", "--bootstrap-expect", "3"), launch("mdns-2", "--bootstrap-expect", "3"),
            launch("mdns-3", "--bootstrap-expect", "3"));
        await("one cluster of three with a leader", Duration.ofSeconds(60), () -> {
            Set<String> clusters = new HashSet<>();
            int leaders = 0;
            for (Node n : founders) {
                JsonNode c = consensus(n);
                clusters.add(c.path("cluster").asText());
                leaders += "leader".equals(c.path("role").asText()) ? 1 : 0;
            }
            return clusters.size() == 1 && !clusters.contains("") && !clusters.contains("null") && leaders == 1;
        });
        String cluster = consensus(founders.get(0)).path("cluster").asText();
        assertEquals(200, Node.Http.form(founders.get(0), "PUT", "/api/keys/found", "value=by-mdns").statusCode());

        Node late = launch("mdns-4", "--bootstrap-expect", "3");
        Node stranger = launch("mdns-other", "--bootstrap-expect", "3", "--env", Node.ENV + "-other");
        await("the late node joins as a voter", Duration.ofSeconds(60), () -> cluster.equals(consensus(late).path("cluster").asText())
            && "follower".equals(consensus(late).path("role").asText()));
        assertEquals("{\"value\":\"by-mdns\"}", Node.Http.get(late, "/api/keys/found").body());
        await("every founder sees four members", Duration.ofSeconds(10),
            () -> founders.stream().allMatch(n -> consensus(n).path("connections").size() == 3));

        JsonNode other = consensus(stranger);
        assertTrue("a node of another environment stays out: " + other,
            other.path("cluster").isNull() || other.path("cluster").asText().isEmpty());
        for (Node n : founders) {
            assertEquals(3, consensus(n).path("connections").size());
        }
    }
}
