package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.LockChecker;
import tansu.itests.jepsen.NodeLogChecker;
import tansu.itests.jepsen.Op;
import tansu.itests.jepsen.RegisterChecker;
import tansu.itests.jepsen.SetChecker;
import tansu.itests.jepsen.WatchChecker;

/**
 * The fault suite: a cluster of node processes, concurrent clients through random nodes, a nemesis,
 * then the checkers over the whole history. Workloads: registers (linearizability), unique-key writes
 * (nothing acknowledged lost), watchers of those writes resuming with Last-Event-ID (each change once,
 * in order, alike everywhere), lock holders writing with their fencing tokens (no two holders, tokens
 * grow). Nodes run in network namespaces on a bridge where this machine allows it (root), else on
 * loopback. Short by default (CI); see the README for a long run. The history is kept in
 * {@code target/jepsen/<time>/history.jsonl}, the nodes' logs beside it.
 */
public class FaultSuiteTest {

    private static final int SECONDS = Integer.getInteger("tansu.jepsen.seconds", 90);
    private static final int NODES = Integer.getInteger("tansu.jepsen.nodes", 3);
    /**
     * {@code --snapshot-count} of the nodes where given (with entries alone deciding): small (1000),
     * snapshots, compaction and snapshots sent to lagging nodes happen under the faults too.
     */
    private static final String SNAPSHOT_COUNT = System.getProperty("tansu.jepsen.snapshot");
    private static final String NEMESIS = System.getProperty("tansu.jepsen.nemesis", "all");
    private static final long SEED = Long.getLong("tansu.jepsen.seed", System.currentTimeMillis() % 100_000);
    private static final String NET = System.getProperty("tansu.jepsen.net", Bridge.available() ? "bridge" : "loopback");
    private static final int REGISTER_CLIENTS = 6;
    private static final int SET_CLIENTS = 2;
    private static final int WATCHERS = 3;
    private static final int LOCK_CLIENTS = 3;
    private static final int KEYS = 4;

    @Rule
    public final Nodes nodes = new Nodes();
    private Bridge bridge;

    @After
    public void network() throws Exception {
        nodes.after();
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    public void theClusterKeepsItsPromisesUnderFaults() throws Exception {
        List<String> kinds = NEMESIS.equals("all") ? Nemesis.ALL : NEMESIS.equals("none") ? List.of() : List.of(NEMESIS.split(","));
        bridge = NET.equals("bridge") ? new Bridge(NODES) : null;
        List<Node> cluster = nodes.addAll(Node.startCluster("jepsen", NODES, bridge,
            SNAPSHOT_COUNT == null ? new String[0] : new String[] {"--snapshot-count", SNAPSHOT_COUNT, "--snapshot-log-ratio", "0"}));
        Map<Node, String> ids = new HashMap<>();
        for (Node n : cluster) {
            ids.put(n, Probe.consensus(n).path("id").asText());
        }
        Faults faults = new Faults(cluster, ids, bridge);
        Path run = Path.of("target", "jepsen", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (History history = new History(run.resolve("history.jsonl"))) {
            long start = System.nanoTime();
            long until = start + Duration.ofSeconds(SECONDS).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int p = 1; p <= REGISTER_CLIENTS; p++) {
                threads.add(new Thread(new RegisterWorkload(p, cluster, history, start, until, KEYS), "register-" + p));
            }
            for (int p = 1; p <= SET_CLIENTS; p++) {
                threads.add(new Thread(new SetWorkload(100 + p, cluster, history, start, until), "set-" + p));
            }
            List<LockWorkload> lockers = new ArrayList<>();
            for (int p = 1; p <= LOCK_CLIENTS; p++) {
                lockers.add(new LockWorkload(200 + p, cluster, history, until));
                threads.add(new Thread(lockers.get(p - 1), "lock-" + p));
            }
            List<WatchWorkload> watchers = new ArrayList<>();
            List<Thread> watching = new ArrayList<>();
            for (int w = 1; w <= WATCHERS; w++) {
                watchers.add(new WatchWorkload("w" + w, cluster, history, 300 + w));
                watching.add(new Thread(watchers.get(w - 1), "watch-" + w));
            }
            history.note("seed " + SEED);
            Nemesis nemesis = new Nemesis(cluster, ids, faults, kinds, history, until, SEED);
            threads.add(new Thread(nemesis, "nemesis"));
            watching.forEach(Thread::start);
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            faults.heal();
            faults.degrade(0, 0);
            assertNull("the nemesis failed: " + nemesis.failure, nemesis.failure);

            // Every node serves again, then the final read and the watchers' catching up.
            for (Node n : cluster) {
                n.awaitServing(System.nanoTime());
            }
            Set<String> present = SetWorkload.readAll(cluster.get(0), start);
            long caughtUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < caughtUp && !watchers.stream().allMatch(w -> w.sawAll(present))) {
                Thread.sleep(200);
            }
            watchers.forEach(WatchWorkload::stop);
            for (Thread t : watching) {
                t.join(30_000);
            }

            List<Op> ops = history.ops();
            Map<String, List<String>> anomalies = new LinkedHashMap<>();
            anomalies.put("registers", RegisterChecker.anomalies(ops));
            anomalies.put("set", SetChecker.anomalies(ops, present));
            Map<String, List<WatchChecker.Event>> seen = new LinkedHashMap<>();
            List<String> watchAnomalies = new ArrayList<>();
            for (WatchWorkload w : watchers) {
                seen.put(w.name(), w.events());
                watchAnomalies.addAll(w.resets());
            }
            watchAnomalies.addAll(WatchChecker.anomalies(seen, present));
            anomalies.put("watch", watchAnomalies);
            List<LockChecker.Hold> holds = new ArrayList<>();
            List<LockChecker.RecordWrite> writes = new ArrayList<>();
            int fenced = 0;
            for (LockWorkload l : lockers) {
                holds.addAll(l.holds());
                writes.addAll(l.writes());
                fenced += l.fenced();
            }
            anomalies.put("lock", LockChecker.anomalies(holds, nemesis.pauses(), writes));
            List<String> nodeAnomalies = new ArrayList<>();
            for (Node n : cluster) {
                nodeAnomalies.addAll(NodeLogChecker.anomalies(n.name, java.nio.file.Files.readAllLines(n.log)));
            }
            anomalies.put("nodes", nodeAnomalies);

            long registers = ops.stream().filter(o -> !o.f().equals("add")).count();
            long okRegisters = ops.stream().filter(o -> !o.f().equals("add") && o.outcome() == Op.Outcome.OK).count();
            long adds = ops.size() - registers;
            long okAdds = ops.stream().filter(o -> o.f().equals("add") && o.outcome() == Op.Outcome.OK).count();
            long events = seen.values().stream().mapToLong(List::size).sum();
            int total = (int) (ops.size() + events + holds.size() + writes.size());
            int count = anomalies.values().stream().mapToInt(List::size).sum();
            System.out.printf("fault suite: %d nodes on %s, %d s, nemesis %s (-Dtansu.jepsen.seed=%d), history %s%n", NODES, NET,
                SECONDS, kinds, SEED, history.file);
            System.out.printf("registers: %d ops, %d ok; anomalous keys %s%n", registers, okRegisters, anomalies.get("registers"));
            System.out.printf("set: %d adds, %d ok, %d present; anomalies %s%n", adds, okAdds, present.size(), limit(anomalies.get("set")));
            System.out.printf("watch: %d events over %s streams; anomalies %s%n", events,
                watchers.stream().map(WatchWorkload::streams).toList(), limit(watchAnomalies));
            System.out.printf("lock: %d holds, %d record writes, %d fenced; anomalies %s%n", holds.size(), writes.size(), fenced,
                limit(anomalies.get("lock")));
            System.out.printf("nodes: anomalies %s%n", limit(nodeAnomalies));
            System.out.printf("ops=%d anomalies=%d%n", total, count);
            assertTrue("too few register operations completed to mean anything: " + okRegisters, okRegisters > 100);
            assertTrue("too few acknowledged unique-key writes: " + okAdds, okAdds > 50);
            assertTrue("too few lock holds: " + holds.size(), holds.size() >= 3);
            assertEquals("anomalies (history in " + history.file + ")", Map.of("registers", List.of(), "set", List.of(),
                "watch", List.of(), "lock", List.of(), "nodes", List.of()), anomalies);
        } finally {
            keepLogs(cluster, run);
        }
    }

    /** The nodes' logs next to the history: the next run's nodes write theirs where these were. */
    private static void keepLogs(List<Node> cluster, Path run) throws java.io.IOException {
        for (Node n : cluster) {
            java.nio.file.Files.copy(n.log, run.resolve(n.log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<String> limit(List<String> anomalies) {
        return anomalies.size() <= 10 ? anomalies : anomalies.subList(0, 10);
    }
}
