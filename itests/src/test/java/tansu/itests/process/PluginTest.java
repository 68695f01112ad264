package tansu.itests.process;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;

/**
 * The counter plugin deployed into running nodes of a 3-node cluster through their deploy folders:
 * on two, then late on the third (which held the entries, across snapshots, and catches up), taken
 * away from one (404; keys go on) and brought back with every increment made meanwhile.
 */
public class PluginTest {

    private static final Path PLUGIN = Node.HOME.resolve("plugins/tansu.counter.jar");

    @Rule
    public final Nodes nodes = new Nodes();

    private static void deploy(Node n) throws Exception {
        Files.copy(PLUGIN, n.deploy().resolve("tansu.counter.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int increment(Node n, String counter, long delta) {
        try {
            return Node.Http.form(n, "POST", "/api/counters/" + counter, "delta=" + delta).statusCode();
        } catch (Exception notYet) {
            return 0;
        }
    }

    private static String read(Node n, String counter) {
        try {
            return Node.Http.get(n, "/api/counters/" + counter).body();
        } catch (Exception notYet) {
            return "";
        }
    }

    private static long waitingFor(Node n) {
        return Probe.consensus(n).path("waiting_for").path("counter").asLong(0);
    }

    @Test
    public void deployedLateUndeployedAndRedeployedTheCountersAreKept() throws Exception {
        List<Node> three = nodes.addAll(Node.startCluster("plugin", 3, "--snapshot-count", "5", "--snapshot-log-ratio", "0"));
        Node a = three.get(0);
        Node b = three.get(1);
        Node late = three.get(2);
        assertEquals(404, Node.Http.form(a, "POST", "/api/counters/hits", "").statusCode());

        deploy(a);
        deploy(b);
        // One node at a time: a retried increment that went through would count twice.
        Probe.await("the plugin serves on the first", Duration.ofSeconds(30), () -> increment(a, "hits", 5) == 200);
        Probe.await("the plugin serves on the second", Duration.ofSeconds(30), () -> increment(b, "hits", 2) == 200);
        for (int i = 0; i < 6; i++) {
            assertEquals(200, increment(i % 2 == 0 ? a : b, "hits", 1));
        }
        assertEquals("{\"value\":13}", read(a, "hits"));
        assertEquals("{\"value\":13}", read(b, "hits"));
        assertEquals(404, Node.Http.get(b, "/api/counters/never").statusCode());
        // A majority acknowledged the last increment; the third node gets it moments later, and holds it.
        Probe.await("the third node holds the 8 entries", Duration.ofSeconds(10), () -> waitingFor(late) >= 8);

        deploy(late);
        Probe.await("the late node catches up", Duration.ofSeconds(30), () -> read(late, "hits").equals("{\"value\":13}"));
        assertEquals(0, waitingFor(late));

        Files.delete(a.deploy().resolve("tansu.counter.jar"));
        Probe.await("the endpoint goes with the plugin", Duration.ofSeconds(30), () -> {
            try {
                return Node.Http.get(a, "/api/counters/hits").statusCode() == 404;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(200, Node.Http.form(a, "PUT", "/api/keys/still", "value=here").statusCode());
        assertEquals("{\"value\":\"here\"}", Node.Http.get(a, "/api/keys/still").body());
        for (int i = 0; i < 10; i++) {
            assertEquals(200, increment(i % 2 == 0 ? b : late, "hits", 10));
        }

        deploy(a);
        Probe.await("back on the first node, with the increments made meanwhile", Duration.ofSeconds(30),
            () -> read(a, "hits").equals("{\"value\":113}"));
    }
}
