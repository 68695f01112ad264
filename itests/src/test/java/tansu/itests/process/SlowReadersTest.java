package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Clients that stop reading their answers hold up nobody else: an answer is written without blocking
 * the thread that completes the request (consensus's own, for a write at times), so what waits on a
 * full socket is that client's answer alone.
 */
public class SlowReadersTest {

    /** More than the threads that complete requests (two): each could otherwise be held by one client. */
    private static final int SLOW_READERS = 6;
    /** Answers of a megabyte each, more than the kernel buffers between a node and a client that does not read. */
    private static final int ANSWERS_EACH = 8;

    private static Node node;

    @BeforeClass
    public static void start() throws Exception {
        node = new Node("slow-readers");
        node.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        node.close();
    }

    @Test
    public void clientsThatDoNotReadTheirAnswersHoldUpNobody() throws Exception {
        String big = "b".repeat(1000 * 1024);
        assertEquals(200, put("/api/keys/big", big).statusCode());
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_READERS; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", node.port), 5000);
                OutputStream out = s.getOutputStream();
                // Linearizable reads (completed off the container's threads), then a write, pipelined, never read.
                StringBuilder requests = new StringBuilder();
                for (int k = 0; k < ANSWERS_EACH; k++) {
                    requests.append("GET /api/keys/big HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                requests.append("PUT /api/keys/slow").append(i)
                    .append(" HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx");
                out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            // Each first answer has begun: the rest of its megabyte is what a blocking write would wait on.
            for (Socket s : slow) {
                s.setSoTimeout(10_000);
                byte[] status = s.getInputStream().readNBytes(12);
                assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII));
            }

            long started = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertEquals(200, timed(HttpRequest.newBuilder(node.uri("/api/keys/busy"))
                    .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("v" + i))).statusCode());
                HttpResponse<String> read = timed(HttpRequest.newBuilder(node.uri("/api/keys/busy")).GET());
                assertEquals(200, read.statusCode());
                assertTrue(read.body(), read.body().contains("v" + i));
            }
            System.out.println("50 writes and 50 reads beside " + SLOW_READERS + " clients that read nothing: "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        // The node let go of the connections it could not finish answering.
        assertEquals(200, Node.Http.get(node, "/api/keys/busy").statusCode());
    }

    private static HttpResponse<String> put(String path, String value) throws Exception {
        return Node.Http.send(HttpRequest.newBuilder(node.uri(path)).header("Content-Type", "text/plain")
            .PUT(HttpRequest.BodyPublishers.ofString(value)));
    }

    /** A request that must be answered within seconds, as it is on an idle node. */
    private static HttpResponse<String> timed(HttpRequest.Builder request) throws Exception {
        return Node.Http.CLIENT.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
