package tansu.itests.process;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;

/** A whole cluster restarted with no discovery at all finds itself again from its stored member addresses. */
public class RestartTest {

    @Rule
    public final Nodes nodes = new Nodes();


    @Test
    public void aClusterRestartedWithoutDiscoveryFindsItselfAgain() throws Exception {
        List<Node> first = Node.startCluster("restart", 3, "--mdns", "false");
        nodes.addAll(first);
        String cluster = Probe.clusterId(first.get(0));
        assertEquals(200, Node.Http.form(first.get(1), "PUT", "/api/keys/restart", "value=kept").statusCode());
        for (Node n : first) {
            n.terminate();
        }

        List<Node> again = new ArrayList<>();
        List<Long> launched = new ArrayList<>();
        for (Node n : first) {
            Node restarted = n.withOptions("--mdns", "false", "--bootstrap-expect", "3", "--env", Node.ENV);
            nodes.add(restarted);
            again.add(restarted);
            launched.add(restarted.launch());
        }
        for (int i = 0; i < again.size(); i++) {
            again.get(i).awaitServing(launched.get(i));
        }
        for (Node n : again) {
            assertEquals(cluster, Probe.clusterId(n));
            assertEquals("{\"value\":\"kept\"}", Node.Http.get(n, "/api/keys/restart").body());
        }
        assertEquals(3, Probe.voters(Probe.cluster(again.get(0))));
    }
}
