package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The leader removes a voter gone longer than --remove-after, never below --bootstrap-expect voters. */
public class RemovalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Node> nodes = new ArrayList<>();

    @After
    public void stop() throws Exception {
        for (Node n : nodes) {
            n.close();
        }
    }

    private static JsonNode cluster(Node n) {
        try {
            return JSON.readTree(Node.Http.get(n, "/api/cluster").body());
        } catch (Exception gone) {
            return JSON.createObjectNode();
        }
    }

    private static String id(Node n) throws Exception {
        return JSON.readTree(Node.Http.get(n, "/api/info").body()).path("consensus").path("id").asText();
    }

    private static int voters(Node n) {
        int voters = 0;
        for (JsonNode m : cluster(n).path("members")) {
            voters += "voter".equals(m.path("role").asText()) ? 1 : 0;
        }
        return voters;
    }

    @Test
    public void aVoterGoneTooLongIsRemovedButNeverBelowTheExpectedSize() throws Exception {
        nodes.addAll(Node.startCluster("removal", 5, "--bootstrap-expect", "4", "--remove-after", "2"));
        String leaderId = cluster(nodes.get(0)).path("leader").asText();
        List<Node> followers = new ArrayList<>();
        Node leader = null;
        for (Node n : nodes) {
            if (id(n).equals(leaderId)) {
                leader = n;
            } else {
                followers.add(n);
            }
        }
        assertEquals(5, voters(leader));

        followers.get(0).kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (voters(leader) != 4) {
            assertTrue("the silent voter is removed: " + cluster(leader), System.nanoTime() < deadline);
            Thread.sleep(100);
        }

        followers.get(1).kill();
        Thread.sleep(6_000); // three times --remove-after: the rule, not a lack of time, keeps it
        assertEquals("never fewer voters than --bootstrap-expect", 4, voters(leader));
        assertEquals(200, Node.Http.form(leader, "PUT", "/api/keys/still", "value=serving").statusCode());
    }
}
