package tansu.itests.process;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;

/**
 * Followers learn where the other members answer from their leader, whatever discovery told them:
 * two nodes that only know of a third elect a leader between them once that third (their leader) is
 * paused. (The fault suite's network test once failed so: followers that had not found each other by
 * mDNS could not hold an election.)
 */
public class MemberAddressesTest {

    @Rule
    public final Nodes nodes = new Nodes();

    @Test
    public void followersThatOnlyKnowTheLeaderElectOneWithoutIt() throws Exception {
        // The first is a cluster on its own and knows nobody; the other two know only it, and join it.
        Node first = nodes.add(new Node("addresses-1", Node.freePort(), List.of("--mdns", "false", "--bootstrap-expect", "1")));
        first.start();
        List<Node> three = new ArrayList<>(List.of(first));
        for (int i = 2; i <= 3; i++) {
            three.add(nodes.add(new Node("addresses-" + i, Node.freePort(),
                List.of("--members", first.address(), "--mdns", "false", "--bootstrap-expect", "3"))));
        }
        three.get(1).start();
        three.get(2).start();
        String firstId = Probe.consensus(first).path("id").asText();
        Probe.await("three voters, led by the first", Duration.ofSeconds(30),
            () -> Probe.voters(Probe.cluster(first)) == 3 && firstId.equals(Probe.cluster(first).path("leader").asText()));
        assertEquals(200, Node.Http.form(first, "PUT", "/api/keys/addresses", "value=known").statusCode());

        first.signal("STOP");
        try {
            Probe.await("the other two elect one of them", Duration.ofSeconds(30), () -> {
                String leader = Probe.cluster(three.get(1)).path("leader").asText("");
                return !leader.isEmpty() && !leader.equals(firstId);
            });
            assertEquals(200, Node.Http.form(three.get(2), "PUT", "/api/keys/addresses", "value=without-it").statusCode());
        } finally {
            first.signal("CONT");
        }
    }
}
