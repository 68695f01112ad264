package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assume.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Three nodes, each in a network namespace of its own with its own address on one bridge, find each
 * other by mDNS across the bridge and found a cluster. One of them is then cut off with iptables
 * (unicast and multicast both, in and out): the other two go on, the cut node serves no
 * linearizable read; once the rules go, it rejoins its cluster and reads what it missed.
 * Needs root, ip and iptables; skipped (and says so) where they are missing.
 */
public class NetworkCutTest {

    private Bridge bridge;
    private final List<Node> nodes = new ArrayList<>();

    @Before
    public void network() throws Exception {
        assumeTrue("needs root, ip and iptables for network namespaces", Bridge.available());
        bridge = new Bridge(3);
    }

    @After
    public void teardown() throws Exception {
        for (Node n : nodes) {
            n.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    public void aNodeCutOffWithIptablesComesBackToItsCluster() throws Exception {
        String env = Node.ENV + "-bridge";
        for (int i = 1; i <= 3; i++) {
            String address = bridge.address(i);
            Node n = new Node("bridge-" + i, address, 8080,
                List.of("--host", address, "--bootstrap-expect", "3", "--env", env), bridge.launcher(i));
            nodes.add(n);
            n.launch();
        }
        // With a leader: the cluster exists as soon as its founder shows it, its first election a round trip later.
        Probe.await("one cluster of three voters across the bridge, found by mDNS, with a leader", Duration.ofSeconds(90),
            () -> {
                if (nodes.stream().map(Probe::clusterId).distinct().count() != 1 || Probe.clusterId(nodes.get(0)).isEmpty()) {
                    return false;
                }
                JsonNode cluster = Probe.cluster(nodes.get(0));
                return Probe.voters(cluster) == 3 && !cluster.path("leader").asText("").isEmpty();
            });
        String cluster = Probe.clusterId(nodes.get(0));
        assertEquals(200, Node.Http.form(nodes.get(0), "PUT", "/api/keys/bridge", "value=before").statusCode());

        // Cut off the leader: the hardest case, the other two must elect one of their own.
        int cutIndex = Probe.leaderFirst(nodes)[0];
        String leaderId = Probe.consensus(nodes.get(cutIndex)).path("id").asText();
        Node isolated = nodes.get(cutIndex);
        Node other = nodes.get((cutIndex + 1) % 3);
        bridge.isolate(cutIndex + 1);
        long cutAt = System.nanoTime();
        Probe.await("the two others elect a leader of their own", Duration.ofSeconds(30), () -> {
            String leader = Probe.cluster(other).path("leader").asText("");
            return !leader.isEmpty() && !leader.equals(leaderId);
        });
        System.out.printf("new leader %d ms after the cut%n", Duration.ofNanos(System.nanoTime() - cutAt).toMillis());
        assertEquals(200, Node.Http.form(other, "PUT", "/api/keys/bridge", "value=during").statusCode());
        Probe.await("the cut-off node steps down", Duration.ofSeconds(30),
            () -> !"leader".equals(Probe.consensus(isolated).path("role").asText()));
        assertNotEquals("the cut-off node serves no linearizable read", 200,
            Node.Http.get(isolated, "/api/keys/bridge").statusCode());

        bridge.restore(cutIndex + 1);
        Probe.await("back, it reads what it missed", Duration.ofSeconds(60), () -> {
            try {
                return "{\"value\":\"during\"}".equals(Node.Http.get(isolated, "/api/keys/bridge").body());
            } catch (Exception notYet) {
                return false;
            }
        });
        assertEquals(cluster, Probe.clusterId(isolated));
        assertEquals(3, Probe.voters(Probe.cluster(other)));
    }
}
