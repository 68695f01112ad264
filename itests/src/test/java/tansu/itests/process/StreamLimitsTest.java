package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Keep-alive comments and bounded stream buffers, with the limits lowered through a configuration file
 * in the node's deploy folder, as an operator would.
 */
public class StreamLimitsTest {

    private static Node node;

    @BeforeClass
    public static void start() throws Exception {
        Path deploy = Node.WORK.resolve("stream-limits-deploy").toAbsolutePath();
        Node.deleteRecursively(deploy);
        Files.createDirectories(deploy);
        Files.writeString(deploy.resolve("tansu.http.cfg"), "keepalive.s=1\nstream.buffer.frames=8\n");
        node = new Node("stream-limits", "--deploy", deploy.toString());
        node.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        node.close();
    }

    @Test
    public void idleStreamsGetKeepAliveComments() throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        try (EventStream stream = new EventStream(node.uri("/api/keys/quiet?stream=true"), Map.of())) {
            while (stream.comments().stream().filter(c -> c.equals(": keep-alive")).count() < 2) {
                assertTrue("keep-alive comments: " + stream.comments(), System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
        }
    }

    @Test
    public void aClientThatDoesNotReadIsDisconnectedAndSlowsNobody() throws Exception {
        // Wait for the lowered buffer to be in force: the keep-alive interval shows the file was read.
        try (EventStream probe = new EventStream(node.uri("/api/keys/probe?stream=true"), Map.of())) {
            long deadline = System.currentTimeMillis() + 15_000;
            while (!probe.comments().contains(": keep-alive")) {
                assertTrue(System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
        }
        try (Socket lazy = new Socket()) {
            lazy.setReceiveBufferSize(4096);
            lazy.connect(new java.net.InetSocketAddress("127.0.0.1", node.port));
            // Connection: close, so that the end of the response is the end of the connection.
            lazy.getOutputStream().write("GET /api/keys/flood?stream=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            String value = "v".repeat(64 * 1024);
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertEquals(200, Node.Http.send(HttpRequest.newBuilder(node.uri("/api/keys/flood"))
                    .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(value))).statusCode());
            }
            Duration writes = Duration.ofNanos(System.nanoTime() - started);

            // The stream was closed on overflow: reading what the socket holds ends in EOF, well short of 12 MiB.
            lazy.setSoTimeout(10_000);
            InputStream in = lazy.getInputStream();
            byte[] buffer = new byte[65536];
            long total = 0;
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stream of a client that does not read was not closed (" + total + " bytes)");
            }
            assertTrue("read " + total, total < 200L * 64 * 1024);
            System.out.println("200 writes of 64 KiB with a stalled watcher took " + writes.toMillis() + " ms; the watcher got "
                + total + " bytes before it was cut off");
        }
        assertEquals(200, Node.Http.get(node, "/api/keys/flood").statusCode());
    }
}
