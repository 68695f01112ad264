package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code /api/cluster} on three node processes: the members, a leadership transfer, a removal, bad requests. */
public class ClusterApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Node> NODES = new ArrayList<>();

    @BeforeClass
    public static void startThree() throws Exception {
        NODES.addAll(Node.startCluster("cluster-api", 3));
    }

    @AfterClass
    public static void stop() throws Exception {
        for (Node n : NODES) {
            n.close();
        }
    }

    private static JsonNode cluster(Node n) throws Exception {
        return JSON.readTree(Node.Http.get(n, "/api/cluster").body());
    }

    private static Node byId(String id) throws Exception {
        for (Node n : NODES) {
            if (JSON.readTree(Node.Http.get(n, "/api/info").body()).path("consensus").path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id);
    }

    /** Waits until {@code n}'s view satisfies {@code test}. */
    private static JsonNode await(Node n, java.util.function.Predicate<JsonNode> test, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode view = cluster(n);
        while (!test.test(view)) {
            assertTrue(what + ": " + view, System.nanoTime() < deadline);
            Thread.sleep(50);
            view = cluster(n);
        }
        return view;
    }

    private static HttpResponse<String> post(Node n, String path, String form) throws Exception {
        return Node.Http.form(n, "POST", path, form);
    }

    @Test
    public void membersTransferAndRemoval() throws Exception {
        JsonNode view = await(NODES.get(0), v -> !v.path("leader").isNull() && v.path("members").size() == 3, "a leader");
        String leaderId = view.path("leader").asText();
        Node leader = byId(leaderId);
        JsonNode leaderView = cluster(leader);
        for (JsonNode m : leaderView.path("members")) {
            assertEquals("voter", m.path("role").asText());
            assertTrue("the leader knows how far each log matches", m.has("match"));
            assertEquals(m.path("id").asText().equals(leaderId), m.path("leader").asBoolean());
        }
        Node follower = NODES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        assertFalse(cluster(follower).path("members").get(0).has("match"));

        // Hand leadership to the other follower, asking through a follower.
        Node other = NODES.stream().filter(n -> !n.equals(leader) && !n.equals(follower)).findFirst().orElseThrow();
        String otherId = JSON.readTree(Node.Http.get(other, "/api/info").body()).path("consensus").path("id").asText();
        HttpResponse<String> transfer = post(follower, "/api/cluster/leader", "id=" + otherId);
        assertEquals(transfer.body(), 202, transfer.statusCode());
        await(other, v -> otherId.equals(v.path("leader").asText()), "leadership moved");

        // Remove the old leader, asking through it: two voters remain and keep serving.
        HttpResponse<String> remove = Node.Http.send(HttpRequest.newBuilder(leader.uri("/api/cluster/members/" + leaderId)).DELETE());
        assertEquals(remove.body(), 202, remove.statusCode());
        await(other, v -> v.path("members").size() == 2, "two members left");
        assertEquals(200, Node.Http.form(follower, "PUT", "/api/keys/after-removal", "value=ok").statusCode());
        assertEquals("{\"value\":\"ok\"}", Node.Http.get(other, "/api/keys/after-removal").body());
    }

    @Test
    public void badRequestsAreRefusedWithJson() throws Exception {
        Node n = NODES.get(2);
        assertEquals(400, post(n, "/api/cluster/members", "address=nowhere").statusCode());
        assertEquals(400, post(n, "/api/cluster/members", "address=127.0.0.1:99999").statusCode());
        assertEquals(400, post(n, "/api/cluster/leader", "").statusCode());
        assertEquals(404, Node.Http.get(n, "/api/cluster/elsewhere").statusCode());
        HttpResponse<String> wrong = Node.Http.send(HttpRequest.newBuilder(n.uri("/api/cluster")).DELETE());
        assertEquals(405, wrong.statusCode());
        assertTrue(wrong.body().contains("\"error\":\"method_not_allowed\""));
        HttpResponse<String> nobody = post(n, "/api/cluster/members", "address=127.0.0.1:" + Node.freePort());
        assertEquals(nobody.body(), 409, nobody.statusCode());
    }
}
