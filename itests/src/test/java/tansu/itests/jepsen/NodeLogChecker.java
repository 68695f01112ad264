package tansu.itests.jepsen;

import java.util.ArrayList;
import java.util.List;

/**
 * A node that died or broke on its own is an anomaly even where no client noticed: the other nodes
 * carry on and a later restart hides it. Its log says so: an {@code ERROR} line, an uncaught
 * exception, or the JVM ending itself on {@code OutOfMemoryError}.
 */
public final class NodeLogChecker {

    private NodeLogChecker() {
    }

    public static List<String> anomalies(String node, List<String> log) {
        List<String> bad = new ArrayList<>();
        for (String line : log) {
            if (line.contains(" ERROR ") || line.contains("OutOfMemoryError") || line.startsWith("Exception in thread")) {
                bad.add(node + ": " + (line.length() > 200 ? line.substring(0, 200) : line));
            }
        }
        return bad;
    }
}
