package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The original README's "Key Value Store" and "Leadership Election" sections on five node processes
 * that know each other from a static member list.
 */
public class ClusterWalkthroughTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Random RANDOM = new Random();
    private static final List<Node> NODES = new ArrayList<>();

    @BeforeClass
    public static void startFive() throws Exception {
        NODES.addAll(Node.startCluster("cluster", 5, "--snapshot-count", "40", "--snapshot-log-ratio", "0"));
    }

    @AfterClass
    public static void stopAll() throws Exception {
        for (Node n : NODES) {
            try {
                n.signal("CONT");
            } catch (Exception alreadyGone) {
                // stopped already
            }
            n.close();
        }
    }

    private static Node random() {
        return NODES.get(RANDOM.nextInt(NODES.size()));
    }

    private static JsonNode info(Node n) throws Exception {
        return JSON.readTree(Node.Http.get(n, "/api/info").body()).path("consensus");
    }

    private static String role(Node n) {
        try {
            HttpResponse<String> r = Node.Http.send(HttpRequest.newBuilder(n.uri("/api/info")).timeout(Duration.ofMillis(500)).GET());
            return JSON.readTree(r.body()).path("consensus").path("role").asText();
        } catch (Exception paused) {
            return "";
        }
    }

    /** Waits for exactly one leader among {@code among}; answers it. */
    private static Node awaitOneLeader(List<Node> among, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<Node> leaders = new ArrayList<>();
            for (Node n : among) {
                if (role(n).equals("leader")) {
                    leaders.add(n);
                }
            }
            if (leaders.size() == 1) {
                return leaders.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no single leader within " + within);
    }

    @Test
    public void theSeedReadmeOnFiveNodes() throws Exception {
        Node leader = awaitOneLeader(NODES, Duration.ofSeconds(10));
        for (Node n : NODES) {
            JsonNode c = info(n);
            assertEquals(n.name, leader.equals(n) ? "leader" : "follower", c.path("role").asText());
            assertEquals(info(leader).path("cluster").asText(), c.path("cluster").asText());
            assertEquals(4, c.path("connections").size());
            assertEquals(info(leader).path("id").asText(), c.path("leader").path("id").asText());
        }

        // Key Value Store: streams on two nodes, writes, reads and deletes through random nodes.
        try (EventStream a = new EventStream(random().uri("/api/keys/hello?stream=true"), Map.of());
             EventStream b = new EventStream(random().uri("/api/keys/hello?stream=true"), Map.of())) {
            assertEquals(200, Node.Http.form(random(), "POST", "/api/keys/hello", "value=world").statusCode());
            assertEquals("{\"value\":\"world\"}", Node.Http.get(random(), "/api/keys/hello").body());
            assertEquals(200, Node.Http.send(HttpRequest.newBuilder(random().uri("/api/keys/hello")).DELETE()).statusCode());
            for (EventStream s : List.of(a, b)) {
                EventStream.Frame set = s.next(Duration.ofSeconds(5));
                assertEquals("set", set.event());
                assertEquals("{\"category\":\"user\",\"key\":\"/hello\",\"value\":\"world\"}", set.data());
                EventStream.Frame deleted = s.next(Duration.ofSeconds(5));
                assertEquals("{\"category\":\"user\",\"key\":\"/hello\",\"deleted\":\"world\"}", deleted.data());
            }
        }

        // Leadership Election: pause the leader; another takes over within 3 s.
        List<Node> others = new ArrayList<>(NODES);
        others.remove(leader);
        long paused = System.nanoTime();
        leader.signal("STOP");
        Node next;
        try {
            next = awaitOneLeader(others, Duration.ofSeconds(3));
            System.out.println("a new leader " + (System.nanoTime() - paused) / 1_000_000 + " ms after the old one was paused");
            assertNotEquals(leader, next);

            Node follower = others.stream().filter(n -> !n.equals(next)).findFirst().orElseThrow();
            for (int i = 0; i <= 100; i++) {
                assertEquals(200, Node.Http.form(follower, "POST", "/api/keys/pqr", "value=" + i).statusCode());
            }
        } finally {
            // Where this part fails, the class's other test must not meet a node still paused.
            leader.signal("CONT");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!role(leader).equals("follower")) {
            assertTrue("the old leader became a follower", System.nanoTime() < deadline);
            Thread.sleep(50);
        }
        assertEquals(next, awaitOneLeader(NODES, Duration.ofSeconds(5)));
        HttpResponse<String> pqr = Node.Http.get(leader, "/api/keys/pqr");
        assertEquals(200, pqr.statusCode());
        assertEquals("{\"value\":\"100\"}", pqr.body());
        assertNotNull(info(leader).path("leader").path("id").asText());
        // The others compacted their logs past what it missed (a snapshot every 40 entries): it caught up
        // from the leader's snapshot.
        assertTrue(leader.output().contains("Installed the leader's snapshot"));
    }

    @Test
    public void aNodeRestartedWithItsDataRejoinsAndCatchesUp() throws Exception {
        Node leader = awaitOneLeader(NODES, Duration.ofSeconds(10));
        Node follower = NODES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        assertEquals(200, Node.Http.form(follower, "PUT", "/api/keys/restart", "value=before").statusCode());
        follower.kill();
        assertEquals(200, Node.Http.form(leader, "PUT", "/api/keys/restart", "value=while-down").statusCode());
        follower.start();
        assertEquals("{\"value\":\"while-down\"}", Node.Http.get(follower, "/api/keys/restart").body());
        assertEquals(info(leader).path("cluster").asText(), info(follower).path("cluster").asText());
        assertEquals("follower", info(follower).path("role").asText());
    }
}
