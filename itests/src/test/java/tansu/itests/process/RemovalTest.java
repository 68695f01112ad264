package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The leader removes a voter gone longer than --remove-after, never below --bootstrap-expect voters. */
public class RemovalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @Rule
    public final Nodes nodes = new Nodes();


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

    private static void awaitVoters(Node leader, int count, String why) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (voters(leader) != count) {
            assertTrue(why + ": " + cluster(leader), System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }

    private static boolean voter(Node leader, String id) {
        for (JsonNode m : cluster(leader).path("members")) {
            if (m.path("id").asText().equals(id)) {
                return "voter".equals(m.path("role").asText());
            }
        }
        return false;
    }

    private static boolean member(Node leader, String id) {
        for (JsonNode m : cluster(leader).path("members")) {
            if (m.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void membersComeAndGoByTheRules() throws Exception {
        List<Node> five = nodes.addAll(Node.startCluster("removal", 5, "--bootstrap-expect", "4", "--remove-after", "2"));
        int[] order = Probe.leaderFirst(five);
        Node leader = five.get(order[0]);
        List<Node> followers = new ArrayList<>();
        for (int i = 1; i < order.length; i++) {
            followers.add(five.get(order[i]));
        }
        awaitVoters(leader, 5, "all five are voters, the fifth once caught up where four founded the cluster");

        Node away = followers.get(0);
        String awayId = id(away);
        away.kill();
        awaitVoters(leader, 4, "the silent voter is removed");
        assertEquals(200, Node.Http.form(leader, "PUT", "/api/keys/meanwhile", "value=written").statusCode());

        away.start();
        awaitVoters(leader, 5, "a member removed while away is taken back when it returns with its data");
        assertEquals("{\"value\":\"written\"}", Node.Http.get(away, "/api/keys/meanwhile").body());

        assertEquals(202, Node.Http.form(leader, "DELETE", "/api/cluster/members/" + awayId, "").statusCode());
        awaitVoters(leader, 4, "an operator removes a live member");
        // Three times --remove-after, while the node introduces itself every second.
        for (long until = System.nanoTime() + Duration.ofSeconds(6).toNanos(); System.nanoTime() < until; ) {
            assertTrue("a member removed on purpose is not taken back: " + cluster(leader), !member(leader, awayId));
            Thread.sleep(100);
        }

        followers.get(1).kill();
        Thread.sleep(6_000); // three times --remove-after: the rule, not a lack of time, keeps it
        assertEquals("never fewer voters than --bootstrap-expect", 4, voters(leader));
        assertEquals(200, Node.Http.form(leader, "PUT", "/api/keys/still", "value=serving").statusCode());

        assertEquals(202, Node.Http.form(leader, "POST", "/api/cluster/members", "address=" + away.address()).statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!voter(leader, awayId)) {
            assertTrue("added again on purpose, it is a voter again: " + cluster(leader), System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }
}
