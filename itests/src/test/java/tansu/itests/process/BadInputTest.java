package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Bad input gets a 4xx with a JSON error body, never a 5xx, and the node keeps serving. */
public class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Node node;

    @BeforeClass
    public static void start() throws Exception {
        node = new Node("bad-input");
        node.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        node.close();
    }

    private static void assertJsonError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse(""), r.headers().firstValue("Content-Type").orElse("")
            .startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals(r.body(), code, body.path("error").asText());
        assertTrue(r.body(), body.path("message").asText().length() > 3);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(node.uri(path));
    }

    @Test
    public void malformedOrOversizedWritesAreRefused() throws Exception {
        assertJsonError(Node.Http.send(request("/api/keys/j").header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"a\":"))), 400, "bad_json");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/k", "nothing=here"), 400, "missing_value");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/k", "value=%zz"), 400, "bad_form");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/k", "value=%C3%28"), 400, "bad_value");
        for (String ttl : List.of("0", "-5", "soon", "1.5")) {
            assertJsonError(Node.Http.form(node, "PUT", "/api/keys/k", "value=x&ttl=" + ttl), 400, "bad_ttl");
        }
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/k", "value=x&prevIndex=x"), 400, "bad_previndex");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/k", "value=x&prevExist=maybe"), 400, "bad_parameter");
        byte[] big = new byte[1024 * 1024 + 1];
        assertJsonError(Node.Http.send(request("/api/keys/big").header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(big))), 413, "value_too_large");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/big", "value=" + "a".repeat(1024 * 1024 + 1)), 413,
            "value_too_large");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/" + "k".repeat(1025), "value=x"), 414, "key_too_long");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/", "value=x"), 403, "root_read_only");
        assertJsonError(Node.Http.form(node, "PUT", "/api/keys/a/", "value=x"), 400, "bad_key");
        assertEquals(404, Node.Http.get(node, "/api/keys/k").statusCode());
    }

    @Test
    public void badReadsAndUnknownMethodsAreRefused() throws Exception {
        assertJsonError(Node.Http.get(node, "/api/keys/x?stream=perhaps"), 400, "bad_parameter");
        assertJsonError(Node.Http.get(node, "/api/keys/x?consistency=eventual"), 400, "bad_parameter");
        assertJsonError(Node.Http.get(node, "/api/keys/x?stream=true&after=-1"), 400, "bad_after");
        assertJsonError(Node.Http.send(request("/api/keys/x?stream=true").header("Last-Event-ID", "abc").GET()), 400,
            "bad_last-event-id");
        assertTrue(raw("GET /api/keys/x?a=%zz HTTP/1.1").contains("\"error\":\"bad_query\""));
        assertJsonError(Node.Http.get(node, "/nothing/here"), 404, "not_found");
        HttpResponse<String> patch = Node.Http.send(request("/api/keys/x").method("PATCH", HttpRequest.BodyPublishers.noBody()));
        assertJsonError(patch, 405, "method_not_allowed");
        assertTrue(patch.headers().firstValue("Allow").orElse("").contains("PUT"));
        assertJsonError(Node.Http.send(request("/api/info").DELETE()), 405, "method_not_allowed");
        assertJsonError(Node.Http.get(node, "/api/keys/missing"), 404, "not_found");
        assertJsonError(Node.Http.send(request("/api/keys/missing").DELETE()), 404, "not_found");
    }

    /** Sends one request line by hand (the JDK client refuses to send malformed URIs); answers the response. */
    private static String raw(String requestLine) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port)) {
            s.getOutputStream().write((requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    public void pathsTheContainerRefusesAreA400() throws Exception {
        // Jetty refuses ambiguous or badly encoded paths before any servlet runs: a 400, with its own body.
        for (String path : List.of("/api/keys/a%zzb", "/api/keys/a//b", "/api/keys/a%0Ab", "/api/keys/a%2Fb")) {
            String response = raw("PUT " + path + " HTTP/1.1");
            assertTrue(path + ": " + response, response.startsWith("HTTP/1.1 400 "));
        }
        assertEquals(200, Node.Http.get(node, "/api/info").statusCode());
    }

    /** A peer batch header as the transport writes it, with no messages. */
    private static byte[] peerBatch(String cluster, String env) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0x54414e53);
        out.writeByte(3);
        out.writeUTF(cluster);
        out.writeUTF(env);
        out.writeUTF("intruder");
        out.writeUTF("127.0.0.1");
        out.writeInt(1);
        out.writeUTF(""); // pledged to no founder
        out.writeLong(0);
        out.writeLong(0);
        out.writeInt(0); // no other members named
        out.writeInt(0);
        return bytes.toByteArray();
    }

    @Test
    public void peerBatchesThatAreMalformedOrForeignAreRefused() throws Exception {
        HttpResponse<String> garbage = Node.Http.send(request("/internal/raft")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})));
        assertJsonError(garbage, 400, "malformed_batch");
        HttpResponse<String> otherCluster = Node.Http.send(request("/internal/raft")
            .POST(HttpRequest.BodyPublishers.ofByteArray(peerBatch("another-cluster", Node.ENV))));
        assertJsonError(otherCluster, 409, "foreign_peer");
        HttpResponse<String> otherEnv = Node.Http.send(request("/internal/raft")
            .POST(HttpRequest.BodyPublishers.ofByteArray(peerBatch("", "prod"))));
        assertJsonError(otherEnv, 409, "foreign_peer");
        assertJsonError(Node.Http.get(node, "/internal/raft"), 405, "method_not_allowed");
        assertEquals(200, Node.Http.send(request("/internal/raft")
            .POST(HttpRequest.BodyPublishers.ofByteArray(peerBatch("", Node.ENV)))).statusCode());
    }

    @Test
    public void clientsThatVanishOrSpeakGarbageDoNotHurtTheNode() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket("127.0.0.1", node.port)) {
                OutputStream out = s.getOutputStream();
                out.write(("GET /api/keys/vanish?stream=true HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                in.read(new byte[64]);
            }
            try (Socket s = new Socket("127.0.0.1", node.port)) {
                // Half a request with a promised body that never comes.
                s.getOutputStream().write(("PUT /api/keys/vanish HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n\r\nvalue=").getBytes(StandardCharsets.US_ASCII));
            }
            try (Socket s = new Socket("127.0.0.1", node.port)) {
                s.getOutputStream().write(new byte[] {0, 1, 2, 3, '\r', '\n', '\r', '\n'});
                s.getInputStream().read(new byte[64]);
            }
        }
        // Writes to the watched key still go through, and the node still answers.
        assertEquals(200, Node.Http.form(node, "PUT", "/api/keys/vanish", "value=still here").statusCode());
        assertEquals("{\"value\":\"still here\"}", Node.Http.get(node, "/api/keys/vanish").body());
        String log = node.output();
        assertTrue(log, !log.contains("ERROR") && !log.contains("Unexpected failure"));
    }
}
