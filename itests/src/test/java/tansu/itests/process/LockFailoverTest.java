package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;

/**
 * Locks across a leader change, with the default lease (10 s): a failover takes far less than a
 * lease, so no session may end because of it. (With a lease close to the failover time a node may
 * rightly give its sessions up: it could not renew them in time.)
 */
public class LockFailoverTest {

    private static final Duration LEASE = Duration.ofSeconds(10);

    @Rule
    public final Nodes cluster = new Nodes();
    private List<Node> nodes;

    private EventStream lock(Node n, String name) throws Exception {
        return new EventStream(n.uri("/api/locks/" + name), Map.of());
    }

    @Test
    public void aLeaderChangeNeitherEndsSessionsEarlyNorReusesTokens() throws Exception {
        nodes = cluster.addAll(Node.startCluster("lockfail", 3));
        int[] order = Probe.leaderFirst(nodes);
        Node oldLeader = nodes.get(order[0]);
        EventStream holder = lock(nodes.get(order[1]), "leaderchange");
        long t1 = holder.expect("granted").path("token").asLong();
        EventStream waiter = lock(nodes.get(order[2]), "leaderchange");
        waiter.expect("waiting");

        // The stopped node's own id: asked after the stop, a follower might still name it, or name
        // a leader elected meanwhile, and the wait below would then watch for the wrong change.
        String oldId = Probe.consensus(oldLeader).path("id").asText();
        oldLeader.signal("STOP");
        try {
            Probe.await("a new leader", Duration.ofSeconds(20), () -> {
                String now = Probe.cluster(nodes.get(order[1])).path("leader").asText("");
                return !now.isEmpty() && !now.equals(oldId);
            });
            // More than a lease under the new leader: the sessions are renewed through it, nothing changes.
            assertEquals(null, holder.poll(LEASE.plusSeconds(2)));
            assertEquals(null, waiter.poll(Duration.ZERO));
        } finally {
            oldLeader.signal("CONT");
        }
        assertEquals(200, Node.Http.form(nodes.get(order[2]), "DELETE", "/api/locks/leaderchange?token=" + t1, "").statusCode());
        long t2 = waiter.expect("granted").path("token").asLong();
        assertTrue(t2 + " > " + t1, t2 > t1);
        holder.close();
        waiter.close();
    }
}
