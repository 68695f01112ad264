package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.Test;

/** Fresh nodes found one cluster: the pledge rules, scenario by scenario, then under random interleavings. */
public class FoundingTest {

    private static Founding.Peer fresh(Founding node, String id) {
        return new Founding.Peer(id, "", node.stance());
    }

    @Test
    public void theSmallestNodeFoundsWithThePledgesOfTheOthers() {
        Founding a = new Founding("a", 3, 100);
        Founding b = new Founding("b", 3, 100);
        Founding c = new Founding("c", 3, 100);
        assertEquals(Optional.empty(), b.decide(List.of(fresh(a, "a"), fresh(c, "c"))));
        assertFalse("b sees a smaller node", b.founding());
        assertEquals(Optional.empty(), a.decide(List.of(fresh(b, "b"), fresh(c, "c"))));
        assertTrue(a.founding());
        b.observe(fresh(a, "a"));
        assertEquals("a", b.stance().founder());
        assertEquals("only b pledged", Optional.empty(), a.decide(List.of(fresh(b, "b"), fresh(c, "c"))));
        c.observe(fresh(a, "a"));
        assertEquals(Optional.of(new Founding.Decision(List.of("a", "b", "c"))),
            a.decide(List.of(fresh(b, "b"), fresh(c, "c"))));
        Founding.Peer founded = new Founding.Peer("a", "C1", a.stance());
        assertEquals(Optional.of("C1"), b.observe(founded));
        assertEquals(Optional.of("C1"), c.observe(founded));
    }

    @Test
    public void aNodePledgesOnlyToASmallerFounder() {
        Founding b = new Founding("b", 2, 100);
        Founding c = new Founding("c", 2, 100);
        c.decide(List.of());
        c.decide(List.of(fresh(b, "b")));
        assertFalse("c sees b, which is smaller", c.founding());
        b.decide(List.of(fresh(c, "c")));
        assertTrue(b.founding());
        c.observe(fresh(b, "b"));
        assertEquals("b", c.stance().founder());
        b.observe(fresh(c, "c"));
        assertEquals("b founds, it pledges to nobody else", "b", b.stance().founder());
    }

    @Test
    public void aFounderThatSeesASmallerFounderGivesUpAndItsPledgesAreReleased() {
        Founding a = new Founding("a", 3, 100);
        Founding b = new Founding("b", 3, 100);
        Founding c = new Founding("c", 3, 100);
        Founding d = new Founding("d", 3, 100);
        b.decide(List.of(fresh(c, "c"), fresh(d, "d")));
        assertTrue(b.founding());
        c.observe(fresh(b, "b"));
        Founding.Peer cPledgedToB = fresh(c, "c");
        a.decide(List.of(fresh(c, "c"), fresh(d, "d")));
        assertTrue(a.founding());
        c.observe(fresh(a, "a"));
        assertEquals("c keeps its pledge while b has not given up", "b", c.stance().founder());
        b.observe(fresh(a, "a"));
        assertEquals("b gives up its round for the smaller founder", "a", b.stance().founder());
        assertEquals("b's old round counts no more", Optional.empty(), b.decide(List.of(cPledgedToB, fresh(d, "d"))));
        c.observe(fresh(b, "b"));
        assertEquals("b's newer epoch releases c", "", c.stance().founder());
        c.observe(fresh(a, "a"));
        assertEquals("a", c.stance().founder());
        assertEquals(Optional.of(new Founding.Decision(List.of("a", "b", "c"))),
            a.decide(List.of(fresh(b, "b"), fresh(c, "c"), fresh(d, "d"))));
    }

    @Test
    public void aStaleHeaderOfTheFounderReleasesNothing() {
        Founding a = new Founding("a", 2, 100);
        Founding b = new Founding("b", 2, 100);
        Founding.Peer aBefore = fresh(a, "a");
        a.decide(List.of(fresh(b, "b")));
        b.observe(fresh(a, "a"));
        b.observe(aBefore);
        assertEquals("a", b.stance().founder());
    }

    @Test
    public void aClusterOfTheEnvironmentStopsFounding() {
        Founding a = new Founding("a", 2, 100);
        Founding b = new Founding("b", 2, 100);
        a.decide(List.of(fresh(b, "b")));
        assertTrue(a.founding());
        b.observe(fresh(a, "a"));
        assertEquals(Optional.empty(), a.decide(List.of(fresh(b, "b"), new Founding.Peer("z", "C0", Founding.Stance.NONE))));
        assertFalse("a gives up: the fresh nodes join the cluster there is", a.founding());
        b.observe(fresh(a, "a"));
        assertEquals("and releases b", "", b.stance().founder());
    }

    @Test
    public void aRestartedFounderReleasesItsPledges() {
        Founding a = new Founding("a", 2, 100);
        Founding b = new Founding("b", 2, 100);
        a.decide(List.of(fresh(b, "b")));
        b.observe(fresh(a, "a"));
        Founding restarted = new Founding("a", 2, 5_000);
        b.observe(fresh(restarted, "a"));
        assertEquals("", b.stance().founder());
    }

    /**
     * Fresh nodes that see random, changing subsets of each other and hear each other's headers late,
     * stale and out of order. However it interleaves, no node is a voter of two founded clusters, a
     * voter adopts no cluster but its own, and so fewer than 2 * expect nodes found at most one
     * cluster; once everyone sees everyone, one cluster is founded.
     */
    @Test
    public void randomInterleavingsFoundOneClusterAtMost() {
        long seeds = Long.getLong("tansu.founding.seeds", 2000);
        for (long seed = 0; seed < seeds; seed++) {
            runSeed(seed);
        }
    }

    private static final class Node {
        final String id;
        Founding founding;
        String cluster = "";
        final Map<String, Founding.Peer> heard = new HashMap<>();
        final List<Founding.Peer> said = new ArrayList<>();

        Node(String id, int expect, long epoch) {
            this.id = id;
            this.founding = new Founding(id, expect, epoch);
        }

        Founding.Peer now() {
            return new Founding.Peer(id, cluster, founding.stance());
        }
    }

    private static void runSeed(long seed) {
        Random random = new Random(seed);
        int expect = 2 + random.nextInt(3);
        int count = expect + random.nextInt(expect);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new Node(Integer.toString(random.nextInt(1000) + 1000 * i, 36), expect, 100));
        }
        java.util.Collections.shuffle(nodes, random);
        boolean[][] sees = new boolean[count][count];
        Map<String, List<String>> founded = new HashMap<>();
        long clock = 1_000;
        int steps = 400 + random.nextInt(400);
        for (int step = 0; step < steps + 1000; step++) {
            boolean healed = step >= steps;
            if (!healed && step % 50 == 0) {
                for (int i = 0; i < count; i++) {
                    for (int j = 0; j < count; j++) {
                        sees[i][j] = random.nextDouble() < 0.6;
                    }
                }
            }
            Node from = nodes.get(random.nextInt(count));
            Node to = nodes.get(random.nextInt(count));
            from.said.add(from.now());
            int action = random.nextInt(10);
            if (action < 6 && from != to && (healed || sees[nodes.indexOf(to)][nodes.indexOf(from)])) {
                // Late and out of order before healing; the newest header after.
                List<Founding.Peer> said = from.said;
                Founding.Peer header = healed ? said.get(said.size() - 1)
                    : said.get(Math.max(0, said.size() - 1 - random.nextInt(Math.min(said.size(), 40))));
                to.heard.put(from.id, header);
                if (to.cluster.isEmpty()) {
                    Optional<String> adopt = to.founding.observe(header);
                    if (adopt.isPresent()) {
                        String c = adopt.get();
                        assertTrue("seed " + seed + ": " + to.id + " adopts " + c + " it is no voter of, founded "
                            + founded, founded.get(c).contains(to.id) || !votesElsewhere(founded, to.id, c));
                        to.cluster = c;
                    }
                }
            } else if (action < 9 && to.cluster.isEmpty()) {
                Optional<Founding.Decision> decision = to.founding.decide(new ArrayList<>(to.heard.values()));
                if (decision.isPresent()) {
                    String c = "C-" + to.id;
                    for (Map.Entry<String, List<String>> other : founded.entrySet()) {
                        for (String voter : decision.get().voters()) {
                            assertFalse("seed " + seed + ": " + voter + " is a voter of " + other.getKey() + " and " + c,
                                other.getValue().contains(voter));
                        }
                    }
                    founded.put(c, decision.get().voters());
                    to.cluster = c;
                }
            } else if (!healed && to.cluster.isEmpty() && to.founding.stance().founder().isEmpty()) {
                // A node pledged to nobody restarts: it starts over, with later rounds.
                clock += 1_000;
                to.founding = new Founding(to.id, expect, clock);
            }
            for (Node n : nodes) {
                if (!n.cluster.isEmpty() && !founded.containsKey(n.cluster)) {
                    throw new AssertionError("seed " + seed + ": unknown cluster " + n.cluster);
                }
            }
        }
        if (count < 2 * expect) {
            assertTrue("seed " + seed + ": " + founded, founded.size() <= 1);
        }
        assertFalse("seed " + seed + ": " + count + " nodes (expect " + expect + ") founded nothing once healed",
            founded.isEmpty());
    }

    private static boolean votesElsewhere(Map<String, List<String>> founded, String id, String cluster) {
        return founded.entrySet().stream().anyMatch(e -> !e.getKey().equals(cluster) && e.getValue().contains(id));
    }
}
