package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.Op;
import tansu.itests.jepsen.RegisterChecker;

/**
 * The fault suite: a cluster of node processes, concurrent register clients through random nodes, a
 * nemesis, then the linearizability checker over the whole history. Short by default (CI);
 * {@code -Dtansu.jepsen.seconds=1800 -Dtansu.jepsen.nemesis=pause,kill -Dtansu.jepsen.nodes=5} for a
 * long run. The history is kept in {@code target/jepsen/<time>/history.jsonl}, the nodes' logs in
 * {@code target/nodes/}.
 */
public class FaultSuiteTest {

    private static final int SECONDS = Integer.getInteger("tansu.jepsen.seconds", 40);
    private static final int NODES = Integer.getInteger("tansu.jepsen.nodes", 3);
    private static final List<String> NEMESIS = List.of(System.getProperty("tansu.jepsen.nemesis", "pause,kill").split(","));
    private static final int CLIENTS = 6;
    private static final int KEYS = 4;

    @Rule
    public final Nodes nodes = new Nodes();

    @Test
    public void registersStayLinearizableUnderFaults() throws Exception {
        List<Node> cluster = nodes.addAll(Node.startCluster("jepsen", NODES));
        Path run = Path.of("target", "jepsen", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (History history = new History(run.resolve("history.jsonl"))) {
            long start = System.nanoTime();
            long until = start + Duration.ofSeconds(SECONDS).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int p = 1; p <= CLIENTS; p++) {
                threads.add(new Thread(new RegisterWorkload(p, cluster, history, start, until, KEYS), "client-" + p));
            }
            Nemesis nemesis = new Nemesis(cluster, NEMESIS, history, until);
            threads.add(new Thread(nemesis, "nemesis"));
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertNull("the nemesis failed: " + nemesis.failure, nemesis.failure);

            List<Op> ops = history.ops();
            long ok = ops.stream().filter(o -> o.outcome() == Op.Outcome.OK).count();
            long unknown = ops.stream().filter(o -> o.outcome() == Op.Outcome.UNKNOWN).count();
            List<String> anomalies = RegisterChecker.anomalies(ops);
            System.out.printf("fault suite: %d nodes, %d s, nemesis %s, history %s%n", NODES, SECONDS, NEMESIS, history.file);
            System.out.printf("ok=%d fail=%d unknown=%d anomalous keys=%s%n", ok, ops.size() - ok - unknown, unknown, anomalies);
            System.out.printf("ops=%d anomalies=%d%n", ops.size(), anomalies.size());
            assertTrue("too few operations completed to mean anything: " + ok, ok > 100);
            assertEquals("keys without a linearization (history in " + history.file + ")", List.of(), anomalies);
        }
    }
}
