package tansu.itests.process;

import java.util.ArrayList;
import java.util.List;

import org.junit.rules.ExternalResource;

/** The node processes a test started, killed after it whatever its outcome: {@code @Rule public final Nodes nodes}. */
final class Nodes extends ExternalResource {

    private final List<Node> started = new ArrayList<>();

    Node add(Node node) {
        started.add(node);
        return node;
    }

    List<Node> addAll(List<Node> nodes) {
        started.addAll(nodes);
        return nodes;
    }

    @Override
    protected void after() {
        for (Node n : started) {
            try {
                n.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
