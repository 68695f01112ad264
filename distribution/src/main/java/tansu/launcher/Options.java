package tansu.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of a node, from the command line and from {@code TANSU_*} environment variables
 * (the command line wins). Bad input is an {@link IllegalArgumentException} with a message for the user.
 */
record Options(int port, Path data, String env, String host, List<String> members, int bootstrapExpect, Path deploy,
               int snapshotCount, int snapshotLogRatio, int heartbeatMs, int electionMs, int removeAfterS, boolean mdns,
               int lockLeaseS, int peerPort) {

    /** An option: its name, the environment variables that also set it, a description, its default. */
    record Spec(String name, List<String> variables, String description, String fallback) {
    }

    static final List<Spec> SPECS = List.of(
        new Spec("port", List.of("TANSU_PORT", "TANSU_HTTP_PORT"), "HTTP port, for clients and peers", "8080"),
        new Spec("peer-port", List.of("TANSU_PEER_PORT"),
            "port peers send Raft batches to once the HTTP port named it; 0 any free one, -1 none (HTTP only)", "0"),
        new Spec("data", List.of("TANSU_DATA", "TANSU_DATA_DIR"), "data directory: Derby files, node id", "./data"),
        new Spec("env", List.of("TANSU_ENV", "TANSU_ENVIRONMENT"), "environment; clusters form within one", "dev"),
        new Spec("host", List.of("TANSU_HOST"), "address to announce to peers", "127.0.0.1"),
        new Spec("members", List.of("TANSU_MEMBERS", "TANSU_CLUSTER_MEMBERS"), "static peers, host:port,...", ""),
        new Spec("mdns", List.of("TANSU_MDNS"), "find peers of this environment by mDNS: true or false", "true"),
        new Spec("bootstrap-expect", List.of("TANSU_BOOTSTRAP_EXPECT"),
            "nodes that form the first cluster; 1 makes this node its own cluster", "3"),
        new Spec("deploy", List.of("TANSU_DEPLOY"), "folder watched for bundles and configuration", "<home>/deploy"),
        new Spec("snapshot-count", List.of("TANSU_SNAPSHOT_COUNT"), "applied entries between snapshots", "10000"),
        new Spec("snapshot-log-ratio", List.of("TANSU_SNAPSHOT_LOG_RATIO"),
            "and a log since the last snapshot of this many times its size (0: entries alone)", "2"),
        new Spec("heartbeat-interval", List.of("TANSU_HEARTBEAT_INTERVAL"), "leader heartbeat, milliseconds", "100"),
        new Spec("election-timeout", List.of("TANSU_ELECTION_TIMEOUT"),
            "minimum election timeout, milliseconds (the actual one is random, up to twice that)", "1000"),
        new Spec("remove-after", List.of("TANSU_REMOVE_AFTER"),
            "seconds after which the leader removes a voter it has not heard from (0: never)", "600"),
        new Spec("lock-lease", List.of("TANSU_LOCK_LEASE"),
            "seconds a lock session outlives its node's last renewal (its locks then pass on)", "10"));

    static Options parse(String[] args, Map<String, String> environment, Path home) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Spec spec : SPECS) {
            for (String variable : spec.variables()) {
                String v = environment.get(variable);
                if (v != null && !v.isEmpty()) {
                    values.putIfAbsent(spec.name(), v);
                }
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String option = name;
            if (SPECS.stream().noneMatch(s -> s.name().equals(option))) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        int port = number(values.getOrDefault("port", "8080"), "port", 1, 65535);
        int peerPort = number(values.getOrDefault("peer-port", "0"), "peer-port", -1, 65535);
        if (peerPort == port) {
            throw new IllegalArgumentException("--peer-port: " + peerPort + " is the HTTP port");
        }
        int expect = number(values.getOrDefault("bootstrap-expect", "3"), "bootstrap-expect", 1, 99);
        String host = values.getOrDefault("host", "127.0.0.1");
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host: cannot resolve '" + host + "'");
        }
        List<String> members = new ArrayList<>();
        for (String member : values.getOrDefault("members", "").split(",")) {
            String m = member.trim();
            if (m.isEmpty()) {
                continue;
            }
            int colon = m.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--members: '" + m + "' is not host:port");
            }
            number(m.substring(colon + 1), "members port", 1, 65535);
            members.add(m);
        }
        String env = values.getOrDefault("env", "dev");
        if (!env.matches("[A-Za-z0-9._-]{1,63}")) {
            throw new IllegalArgumentException("--env: letters, digits, '.', '_' and '-' only, 63 at most");
        }
        Path data = Path.of(values.getOrDefault("data", "./data")).toAbsolutePath().normalize();
        Path deploy = values.containsKey("deploy") ? Path.of(values.get("deploy")) : home.resolve("deploy");
        int snapshotCount = number(values.getOrDefault("snapshot-count", "10000"), "snapshot-count", 1, Integer.MAX_VALUE);
        int snapshotLogRatio = number(values.getOrDefault("snapshot-log-ratio", "2"), "snapshot-log-ratio", 0, 1000);
        int heartbeat = number(values.getOrDefault("heartbeat-interval", "100"), "heartbeat-interval", 10, 60_000);
        int election = number(values.getOrDefault("election-timeout", "1000"), "election-timeout", 2 * heartbeat, 600_000);
        int removeAfter = number(values.getOrDefault("remove-after", "600"), "remove-after", 0, Integer.MAX_VALUE);
        int lockLease = number(values.getOrDefault("lock-lease", "10"), "lock-lease", 1, 3600);
        String mdns = values.getOrDefault("mdns", "true");
        if (!mdns.equals("true") && !mdns.equals("false")) {
            throw new IllegalArgumentException("--mdns: true or false, not '" + mdns + "'");
        }
        return new Options(port, data, env, host, List.copyOf(members), expect, deploy.toAbsolutePath().normalize(),
            snapshotCount, snapshotLogRatio, heartbeat, election, removeAfter, mdns.equals("true"),
            lockLease, peerPort);
    }

    private static int number(String text, String name, int min, int max) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + ": '" + text + "' is not a whole number from " + min + " to " + max);
    }

    static String usage() {
        StringBuilder s = new StringBuilder("Usage: tansu [options]   (each option also an environment variable)\n");
        for (Spec spec : SPECS) {
            s.append(String.format(Locale.ROOT, "  --%-18s %s (%s; default %s)%n", spec.name() + " V", spec.description(),
                String.join(", ", spec.variables()), spec.fallback()));
        }
        return s.toString();
    }
}
