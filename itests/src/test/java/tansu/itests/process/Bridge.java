package tansu.itests.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces on one bridge, one per node, each with an address of its own; the test's host is
 * the bridge's {@code .1} and reaches them all. Traffic between namespaces is cut and restored with
 * iptables inside them, unicast and multicast (mDNS) alike. Needs root, ip and iptables.
 */
final class Bridge implements AutoCloseable {

    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong(0x100000, 0xffffff));
    private final String subnet = "10.231." + ThreadLocalRandom.current().nextInt(1, 255);
    private final String bridge = "tbr" + tag;
    private final List<String> namespaces = new ArrayList<>();

    /** Whether this machine can run namespaces: root, ip and iptables; a caller without them skips. */
    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && installed("ip") && installed("iptables");
    }

    private static boolean installed(String command) {
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command))
            || Files.isExecutable(Path.of("/usr/bin", command));
    }

    Bridge(int size) throws IOException, InterruptedException {
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "addr", "add", subnet + ".1/24", "dev", bridge);
        run("ip", "link", "set", bridge, "up");
        for (int i = 1; i <= size; i++) {
            String ns = "tansu-" + tag + "-" + i;
            String veth = "tv" + tag + i;
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "link", "set", veth, "master", bridge, "up");
            inNamespace(i, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
            inNamespace(i, "ip", "link", "set", "eth0", "up", "multicast", "on");
            inNamespace(i, "ip", "link", "set", "lo", "up");
            inNamespace(i, "ip", "route", "add", "default", "via", subnet + ".1");
        }
    }

    /** The address of the {@code i}-th namespace (from 1). */
    String address(int i) {
        return subnet + "." + (10 + i);
    }

    /** What runs a command inside the {@code i}-th namespace. */
    List<String> launcher(int i) {
        return List.of("ip", "netns", "exec", namespaces.get(i - 1));
    }

    /** Namespace {@code i} neither hears from nor sends to these addresses (multicast from them included). */
    void block(int i, Collection<String> addresses) throws IOException, InterruptedException {
        for (String a : addresses) {
            inNamespace(i, "iptables", "-A", "INPUT", "-s", a, "-j", "DROP");
            inNamespace(i, "iptables", "-A", "OUTPUT", "-d", a, "-j", "DROP");
        }
    }

    /** Namespace {@code i} cut off from every other namespace, multicast included; the host still reaches it. */
    void isolate(int i) throws IOException, InterruptedException {
        String others = subnet + ".0/24";
        String host = subnet + ".1";
        inNamespace(i, "iptables", "-A", "INPUT", "-s", host, "-j", "ACCEPT");
        inNamespace(i, "iptables", "-A", "INPUT", "-s", others, "-j", "DROP");
        inNamespace(i, "iptables", "-A", "INPUT", "-d", "224.0.0.0/4", "-j", "DROP");
        inNamespace(i, "iptables", "-A", "OUTPUT", "-d", host, "-j", "ACCEPT");
        inNamespace(i, "iptables", "-A", "OUTPUT", "-d", others, "-j", "DROP");
        inNamespace(i, "iptables", "-A", "OUTPUT", "-d", "224.0.0.0/4", "-j", "DROP");
    }

    /** Every rule of namespace {@code i} gone. */
    void restore(int i) throws IOException, InterruptedException {
        for (String chain : new String[] {"INPUT", "OUTPUT"}) {
            inNamespace(i, "iptables", "-F", chain);
        }
    }

    private void inNamespace(int i, String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(launcher(i));
        all.addAll(List.of(command));
        run(all.toArray(String[]::new));
    }

    /** Runs a command to its end; throws where it fails. */
    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
        run("ip", "link", "del", bridge);
    }
}
