package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * Every acknowledged write survives a restart: after SIGTERM, after SIGKILL, and from a snapshot plus
 * the log after it.
 */
public class DurabilityTest {

    /** Writes {@code count} keys from {@code threads} concurrent clients; answers the acknowledged ones. */
    private static List<String> writeConcurrently(Node node, String prefix, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = prefix + "/" + i;
                acks.add(pool.submit(() -> {
                    HttpResponse<String> r = Node.Http.form(node, "PUT", "/api/keys" + key, "value=v" + key);
                    return r.statusCode() == 200 ? key : null;
                }));
            }
            List<String> acknowledged = new ArrayList<>();
            for (Future<String> f : acks) {
                if (f.get() != null) {
                    acknowledged.add(f.get());
                }
            }
            return acknowledged;
        } finally {
            pool.shutdown();
        }
    }

    private static void assertAllPresent(Node node, List<String> keys) throws Exception {
        for (String key : keys) {
            HttpResponse<String> r = Node.Http.get(node, "/api/keys" + key);
            assertEquals(key, 200, r.statusCode());
            assertEquals("{\"value\":\"v" + key + "\"}", r.body());
        }
    }

    @Test
    public void acknowledgedWritesSurviveSigkill() throws Exception {
        Set<String> tmpBefore = fileInstallFoldersInTmp();
        try (Node node = new Node("durability-kill")) {
            node.start();
            List<String> written = writeConcurrently(node, "/kill", 300, 16);
            assertEquals(300, written.size());
            node.kill();
            node.start();
            assertAllPresent(node, written);
            assertTrue("File Install works in the node's data", Files.isDirectory(node.data.resolve("fileinstall")));
        }
        Set<String> left = fileInstallFoldersInTmp();
        left.removeAll(tmpBefore);
        assertEquals("what a killed node left in " + TMP, Set.of(), left);
    }

    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    /** The folders File Install makes in /tmp where it is not given one. */
    private static Set<String> fileInstallFoldersInTmp() throws IOException {
        try (Stream<Path> files = Files.list(TMP)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fileinstall-"))
                .collect(Collectors.toCollection(HashSet::new));
        }
    }

    @Test
    public void sigtermStopsCleanlyAndNothingIsLost() throws Exception {
        try (Node node = new Node("durability-term")) {
            node.start();
            List<String> written = writeConcurrently(node, "/term", 50, 4);
            int exit = node.terminate();
            // The JVM reports a SIGTERM'd process as 128 + 15 after running its shutdown hooks.
            assertEquals(143, exit);
            String log = node.output();
            assertFalse(log, log.contains("Exception"));
            assertTrue(log, log.contains("Derby") && !log.contains("ERROR"));
            node.start();
            assertAllPresent(node, written);
        }
    }

    @Test
    public void largeOverwritesAreSnapshottedAwayBeforeTheyFillTheHeap() throws Exception {
        // 300 writes of 768 KiB to four keys: 225 MiB of log, more than the node's 256 MiB heap holds
        // beside everything else, while the store itself stays at 3 MiB. The log must be compacted by
        // its size, well before the default 10,000 entries.
        try (Node node = new Node("durability-large")) {
            node.start();
            String value = "x".repeat(768 * 1024);
            for (int i = 0; i < 300; i++) {
                HttpResponse<String> r = Node.Http.send(java.net.http.HttpRequest.newBuilder(node.uri("/api/keys/large/" + (i % 4)))
                    .header("Content-Type", "text/plain")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(value + i)));
                assertEquals(200, r.statusCode());
            }
            assertTrue(node.output().contains("Snapshot at index"));
            node.kill();
            node.start();
            String body = Node.Http.get(node, "/api/keys/large/3").body();
            assertTrue("the newest value survived", body.equals("{\"value\":\"" + value + 299 + "\"}"));
        }
    }

    @Test
    public void aRestartRebuildsFromTheSnapshotAndTheLogAfterIt() throws Exception {
        try (Node node = new Node("durability-snapshot", "--snapshot-count", "40", "--snapshot-log-ratio", "0")) {
            node.start();
            List<String> written = writeConcurrently(node, "/snap", 130, 4);
            assertEquals(130, written.size());
            assertTrue("a snapshot was taken", node.output().contains("Snapshot at index"));

            node.kill();
            node.start();
            assertAllPresent(node, written);
            String log = node.output();
            assertTrue(log, log.matches("(?s).*started: term \\d+, log \\d+\\.\\.\\d+, snapshot at [1-9]\\d*.*"));

            // The snapshot carries the change history, so a stream resuming from before the snapshot
            // gets every change after the one it names, in order, as it would have before the restart.
            try (EventStream stream = new EventStream(node.uri("/api/keys/snap?stream=true&children=true"),
                Map.of("Last-Event-ID", "1"))) {
                long previous = 1;
                Set<String> keys = new HashSet<>();
                while (keys.size() < written.size() - 1) {
                    EventStream.Frame frame = stream.next(Duration.ofSeconds(5));
                    assertEquals(frame.data(), "set", frame.event());
                    long id = Long.parseLong(frame.id());
                    assertTrue(id + " after " + previous, id > previous);
                    previous = id;
                    keys.add(frame.data());
                }
            }
        }
    }
}
