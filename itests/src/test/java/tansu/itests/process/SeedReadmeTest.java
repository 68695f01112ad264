package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The "Key Value Store" section of the original README, against one node process: stream, set, get,
 * delete, and the stream's {@code set} and {@code deleted} frames.
 */
public class SeedReadmeTest {

    private static Node node;

    @BeforeClass
    public static void start() throws Exception {
        node = new Node("seed-readme");
        Duration took = node.start();
        System.out.println("seed-readme node served a linearizable read " + took.toMillis() + " ms after its process started");
    }

    @AfterClass
    public static void stop() throws Exception {
        node.close();
    }

    @Test
    public void streamSetGetDeleteAsInTheSeedReadme() throws Exception {
        try (EventStream stream = new EventStream(node.uri("/api/keys/hello?stream=true"), Map.of())) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"));

            HttpResponse<String> set = Node.Http.form(node, "POST", "/api/keys/hello", "value=world");
            assertEquals(200, set.statusCode());
            assertTrue(set.body(), set.body().startsWith("{\"value\":\"world\",\"metadata\":{\"tansu\":{\"current\":{"));

            EventStream.Frame setFrame = stream.next(Duration.ofSeconds(5));
            assertEquals("set", setFrame.event());
            assertEquals("{\"category\":\"user\",\"key\":\"/hello\",\"value\":\"world\"}", setFrame.data());

            HttpResponse<String> get = Node.Http.get(node, "/api/keys/hello");
            assertEquals(200, get.statusCode());
            assertEquals("{\"value\":\"world\"}", get.body());
            assertEquals(setFrame.id(), get.headers().firstValue("updated-index").orElseThrow());

            HttpResponse<String> delete = Node.Http.send(java.net.http.HttpRequest.newBuilder(node.uri("/api/keys/hello")).DELETE());
            assertEquals(200, delete.statusCode());

            EventStream.Frame deleted = stream.next(Duration.ofSeconds(5));
            assertEquals("deleted", deleted.event());
            assertEquals("{\"category\":\"user\",\"key\":\"/hello\",\"deleted\":\"world\"}", deleted.data());
            assertTrue(Long.parseLong(deleted.id()) > Long.parseLong(setFrame.id()));

            assertEquals(404, Node.Http.get(node, "/api/keys/hello").statusCode());
        }
    }

    @Test
    public void aStreamResumesAfterLastEventIdAndSaysResetWhereHistoryIsGone() throws Exception {
        long first = 0;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = Node.Http.form(node, "PUT", "/api/keys/resume/k", "value=" + i);
            assertEquals(200, r.statusCode());
            if (i == 0) {
                first = Long.parseLong(Node.Http.get(node, "/api/keys/resume/k").headers().firstValue("updated-index").orElseThrow());
            }
        }
        try (EventStream resumed = new EventStream(node.uri("/api/keys/resume?stream=true&children=true"),
            Map.of("Last-Event-ID", Long.toString(first)))) {
            assertEquals("{\"category\":\"user\",\"key\":\"/resume/k\",\"value\":\"1\"}", resumed.next(Duration.ofSeconds(5)).data());
            assertEquals("{\"category\":\"user\",\"key\":\"/resume/k\",\"value\":\"2\"}", resumed.next(Duration.ofSeconds(5)).data());
        }
        try (EventStream after = new EventStream(node.uri("/api/keys/resume/k?stream=true&after=" + (first + 1)), Map.of())) {
            assertEquals("{\"category\":\"user\",\"key\":\"/resume/k\",\"value\":\"2\"}", after.next(Duration.ofSeconds(5)).data());
        }
    }

    @Test
    public void jsonValuesComeBackAsJsonAndRawValuesAsTheirBytes() throws Exception {
        HttpResponse<String> put = Node.Http.send(java.net.http.HttpRequest.newBuilder(node.uri("/api/keys/doc"))
            .header("Content-Type", "application/json")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"a\":[1,2]}")));
        assertEquals(200, put.statusCode());
        assertEquals("{\"value\":{\"a\":[1,2]}}", Node.Http.get(node, "/api/keys/doc").body());

        Node.Http.send(java.net.http.HttpRequest.newBuilder(node.uri("/api/keys/raw")).header("Content-Type", "text/csv")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")));
        HttpResponse<String> raw = Node.Http.get(node, "/api/keys/raw");
        assertEquals("a,b\n1,2\n", raw.body());
        assertEquals("text/csv", raw.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    public void childrenTestAndSetAndTtl() throws Exception {
        Node.Http.form(node, "PUT", "/api/keys/dir/a", "value=1");
        Node.Http.form(node, "PUT", "/api/keys/dir/b", "value=2");
        Node.Http.form(node, "PUT", "/api/keys/dir/b/deeper", "value=3");
        assertEquals("{\"children\":{\"/dir/a\":{\"value\":\"1\"},\"/dir/b\":{\"value\":\"2\"}}}",
            Node.Http.get(node, "/api/keys/dir?children=true").body());

        assertEquals(409, Node.Http.form(node, "PUT", "/api/keys/dir/a", "value=x&prevValue=wrong").statusCode());
        assertEquals(409, Node.Http.form(node, "PUT", "/api/keys/dir/a", "value=x&prevExist=false").statusCode());
        assertEquals(200, Node.Http.form(node, "PUT", "/api/keys/dir/a", "value=x&prevValue=1").statusCode());
        assertEquals(200, Node.Http.form(node, "PUT", "/api/keys/dir/new", "value=x&prevExist=false").statusCode());

        try (EventStream stream = new EventStream(node.uri("/api/keys/dir/ttl?stream=true"), Map.of())) {
            HttpResponse<String> ttl = Node.Http.form(node, "PUT", "/api/keys/dir/ttl", "value=short&ttl=1");
            assertEquals(200, ttl.statusCode());
            assertEquals("1", Node.Http.get(node, "/api/keys/dir/ttl").headers().firstValue("ttl").orElseThrow());
            assertEquals("set", stream.next(Duration.ofSeconds(5)).event());
            EventStream.Frame expired = stream.next(Duration.ofSeconds(10));
            assertEquals("deleted", expired.event());
            assertTrue(expired.data(), expired.data().contains("\"expired\":true"));
        }
        assertEquals(404, Node.Http.get(node, "/api/keys/dir/ttl").statusCode());

        HttpResponse<String> recursive = Node.Http.send(java.net.http.HttpRequest.newBuilder(node.uri("/api/keys/dir")).DELETE());
        assertEquals(200, recursive.statusCode());
        assertTrue(recursive.body(), recursive.body().contains("\"deleted\":4"));
        assertEquals(404, Node.Http.get(node, "/api/keys/dir/b/deeper").statusCode());
    }
}
