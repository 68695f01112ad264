package tansu.itests.process;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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

    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong(0x100000, 0xffffff));
    private final String subnet = "10.231." + ThreadLocalRandom.current().nextInt(1, 255);
    private final String bridge = "tbr" + tag;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    private static boolean available(String command) {
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command))
            || Files.isExecutable(Path.of("/usr/bin", command));
    }

    /** Runs a command to its end; fails the test where it fails. */
    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void inNamespace(String ns, String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(command));
        run(all.toArray(String[]::new));
    }

    @Before
    public void network() throws Exception {
        assumeTrue("needs root for network namespaces", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs ip and iptables", available("ip") && available("iptables"));
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "addr", "add", subnet + ".1/24", "dev", bridge);
        run("ip", "link", "set", bridge, "up");
        for (int i = 1; i <= 3; i++) {
            String ns = "tansu-" + tag + "-" + i;
            String veth = "tv" + tag + i;
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "link", "set", veth, "master", bridge, "up");
            inNamespace(ns, "ip", "addr", "add", subnet + "." + (10 + i) + "/24", "dev", "eth0");
            inNamespace(ns, "ip", "link", "set", "eth0", "up", "multicast", "on");
            inNamespace(ns, "ip", "link", "set", "lo", "up");
            inNamespace(ns, "ip", "route", "add", "default", "via", subnet + ".1");
        }
    }

    @After
    public void teardown() throws Exception {
        for (Node n : nodes) {
            n.close();
        }
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
        if (!namespaces.isEmpty()) {
            run("ip", "link", "del", bridge);
        }
    }

    /** Drops everything between {@code ns} and the other nodes, multicast included; the test's host still reaches it. */
    private void cut(String ns) throws Exception {
        String others = subnet + ".0/24";
        String host = subnet + ".1";
        inNamespace(ns, "iptables", "-A", "INPUT", "-s", host, "-j", "ACCEPT");
        inNamespace(ns, "iptables", "-A", "INPUT", "-s", others, "-j", "DROP");
        inNamespace(ns, "iptables", "-A", "INPUT", "-d", "224.0.0.0/4", "-j", "DROP");
        inNamespace(ns, "iptables", "-A", "OUTPUT", "-d", host, "-j", "ACCEPT");
        inNamespace(ns, "iptables", "-A", "OUTPUT", "-d", others, "-j", "DROP");
        inNamespace(ns, "iptables", "-A", "OUTPUT", "-d", "224.0.0.0/4", "-j", "DROP");
    }

    @Test
    public void aNodeCutOffWithIptablesComesBackToItsCluster() throws Exception {
        String env = Node.ENV + "-bridge";
        for (int i = 1; i <= 3; i++) {
            String address = subnet + "." + (10 + i);
            Node n = new Node("bridge-" + i, address, 8080,
                List.of("--host", address, "--bootstrap-expect", "3", "--env", env),
                List.of("ip", "netns", "exec", namespaces.get(i - 1)));
            nodes.add(n);
            n.launch();
        }
        Probe.await("one cluster of three voters across the bridge, found by mDNS", Duration.ofSeconds(90),
            () -> nodes.stream().map(Probe::clusterId).distinct().count() == 1 && !Probe.clusterId(nodes.get(0)).isEmpty()
                && Probe.voters(Probe.cluster(nodes.get(0))) == 3);
        String cluster = Probe.clusterId(nodes.get(0));
        assertEquals(200, Node.Http.form(nodes.get(0), "PUT", "/api/keys/bridge", "value=before").statusCode());

        // Cut off the leader: the hardest case, the other two must elect one of their own.
        String leaderId = Probe.cluster(nodes.get(0)).path("leader").asText();
        int cutIndex = 0;
        for (int i = 0; i < 3; i++) {
            if (Probe.consensus(nodes.get(i)).path("id").asText().equals(leaderId)) {
                cutIndex = i;
            }
        }
        Node isolated = nodes.get(cutIndex);
        Node other = nodes.get((cutIndex + 1) % 3);
        cut(namespaces.get(cutIndex));
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

        for (String chain : new String[] {"INPUT", "OUTPUT"}) {
            inNamespace(namespaces.get(cutIndex), "iptables", "-F", chain);
        }
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
