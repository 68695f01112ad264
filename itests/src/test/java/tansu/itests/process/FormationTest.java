package tansu.itests.process;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Rule;
import org.junit.Test;

/**
 * Five nodes started at once, finding each other by mDNS only, found exactly one cluster, again and
 * again: with {@code --bootstrap-expect 5}, and with 3 (more fresh nodes than the founding needs, the
 * case where nodes that decided alone could split). {@code -Dtansu.formation.repeat=N} runs N rounds
 * of each (default 2).
 */
public class FormationTest {

    private static final int REPEAT = Integer.getInteger("tansu.formation.repeat", 2);
    @Rule
    public final Nodes nodes = new Nodes();


    @Test
    public void fiveNodesStartedAtOnceFoundOneClusterEveryTime() throws Exception {
        for (int round = 1; round <= REPEAT; round++) {
            for (int expect : new int[] {5, 3}) {
                formOnce(round, expect);
            }
        }
    }

    private void formOnce(int round, int expect) throws Exception {
        String env = Node.ENV + "-form" + round + "x" + expect;
        List<Node> five = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Node n = new Node("form" + round + "x" + expect + "-" + i, Node.freePort(),
                List.of("--bootstrap-expect", Integer.toString(expect), "--env", env));
            nodes.add(n);
            five.add(n);
        }
        long began = System.nanoTime();
        for (Node n : five) {
            n.launch();
        }
        // Every cluster id any node ever shows, polled until all five are voters of one.
        Set<String> seen = new TreeSet<>();
        Probe.await("round " + round + " (expect " + expect + "): five voters of one cluster", Duration.ofSeconds(90), () -> {
            Set<String> now = new TreeSet<>();
            for (Node n : five) {
                now.add(Probe.clusterId(n));
            }
            now.remove("");
            seen.addAll(now);
            return now.size() == 1 && five.stream().allMatch(n -> !Probe.clusterId(n).isEmpty())
                && Probe.voters(Probe.cluster(five.get(0))) == 5;
        });
        System.out.printf("round %d, expect %d: one cluster of five voters after %d ms%n", round, expect,
            Duration.ofNanos(System.nanoTime() - began).toMillis());
        assertEquals("round " + round + " (expect " + expect + "): clusters seen", 1, seen.size());
        int founded = 0;
        for (Node n : five) {
            founded += n.output().split("Founded cluster ", -1).length - 1;
        }
        assertEquals("round " + round + " (expect " + expect + "): nodes that founded a cluster", 1, founded);
        // A node can be a voter before its key API is registered (503, retry): as a client would, wait.
        for (Node n : five) {
            n.awaitServing(began);
        }
        java.net.http.HttpResponse<String> put = Node.Http.form(five.get(4), "PUT", "/api/keys/formed", "value=" + round);
        assertEquals(put.body(), 200, put.statusCode());
        assertEquals("{\"value\":\"" + round + "\"}", Node.Http.get(five.get(0), "/api/keys/formed").body());
        for (Node n : five) {
            n.close();
        }
    }
}
