package tansu.itests.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network faults of a cluster under test. Partitions are iptables rules in the nodes' namespaces
 * where the cluster runs on a {@link Bridge}, and otherwise the transport's fault hook withholding
 * messages; message loss and delay are always the fault hook ({@code tansu.raft.faults.cfg} in each
 * node's deploy folder, switched off by deleting it).
 */
final class Faults {

    private final List<Node> nodes;
    private final Map<Node, String> ids;
    private final Bridge bridge;
    private final Map<Node, Set<Node>> cut = new HashMap<>();
    private double drop;
    private long delayMs;

    Faults(List<Node> nodes, Map<Node, String> ids, Bridge bridge) {
        this.nodes = nodes;
        this.ids = ids;
        this.bridge = bridge;
    }

    /** Nodes of different sides no longer hear each other; nodes in {@code everywhere} hear all. */
    synchronized void partition(List<List<Node>> sides) throws IOException, InterruptedException {
        for (List<Node> side : sides) {
            for (List<Node> other : sides) {
                if (other != side) {
                    for (Node n : side) {
                        cut.computeIfAbsent(n, k -> new HashSet<>()).addAll(other);
                    }
                }
            }
        }
        if (bridge != null) {
            for (Map.Entry<Node, Set<Node>> e : cut.entrySet()) {
                bridge.block(nodes.indexOf(e.getKey()) + 1, e.getValue().stream().map(n -> n.host).toList());
            }
        } else {
            writeHooks();
        }
    }

    /** A path between every two nodes again. */
    synchronized void heal() throws IOException, InterruptedException {
        if (bridge != null) {
            for (Node n : cut.keySet()) {
                bridge.restore(nodes.indexOf(n) + 1);
            }
        }
        cut.clear();
        writeHooks();
    }

    /** Every node drops this share of its batches to peers and holds each of the others this long. */
    synchronized void degrade(double drop, long delayMs) throws IOException {
        this.drop = drop;
        this.delayMs = delayMs;
        writeHooks();
    }

    private void writeHooks() throws IOException {
        for (Node n : nodes) {
            Path file = n.deploy().resolve("tansu.raft.faults.cfg");
            List<String> lines = new ArrayList<>();
            if (drop > 0) {
                lines.add("drop=" + drop);
            }
            if (delayMs > 0) {
                lines.add("delay.ms=" + delayMs);
            }
            Set<Node> unreachable = bridge == null ? cut.getOrDefault(n, Set.of()) : Set.of();
            if (!unreachable.isEmpty()) {
                lines.add("cut=" + String.join(",", unreachable.stream().map(ids::get).toList()));
            }
            if (lines.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.write(file, lines);
            }
        }
    }
}
