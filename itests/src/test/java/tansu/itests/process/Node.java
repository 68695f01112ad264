package tansu.itests.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node as a user runs it: {@code bin/tansu} of the built distribution, in its own process, with its
 * own data directory and log file, spoken to over HTTP.
 */
final class Node implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("tansu.home", "../distribution/target/tansu"));
    static final Path WORK = Path.of(System.getProperty("tansu.itests.work", "target/nodes"));

    final String name;
    final String host;
    final int port;
    final Path data;
    final Path log;
    private final List<String> extraArgs;
    /** What runs bin/tansu: nothing, or for instance {@code ip netns exec <ns>}. */
    private final List<String> launcher;
    private Process process;
    private int starts;

    /** A node that is its own cluster. */
    Node(String name, String... extraArgs) throws IOException {
        this(name, freePort(), prepend("--bootstrap-expect", "1", extraArgs));
    }

    /**
     * The environment of this run's nodes, unless a test names another: nodes find each other by mDNS,
     * and must not meet the nodes of another run (or a developer's cluster) on this machine.
     */
    static final String ENV = "itest-" + Long.toHexString(System.nanoTime() & 0xffffffL);

    /** A node with exactly these options besides its port and data directory (and this run's env). */
    Node(String name, int port, List<String> args) throws IOException {
        this(name, "127.0.0.1", port, args, List.of());
    }

    /** A node answering at {@code host}, its process started through {@code launcher}. */
    Node(String name, String host, int port, List<String> args, List<String> launcher) throws IOException {
        this(name, host, port, args, launcher, false);
    }

    /** This node (its name, port and data directory) to be started again with other options, its data kept. */
    Node withOptions(String... args) throws IOException {
        return new Node(name, host, port, List.of(args), launcher, true);
    }

    private Node(String name, String host, int port, List<String> args, List<String> launcher, boolean keepData)
        throws IOException {
        this.name = name;
        this.host = host;
        this.port = port;
        this.launcher = List.copyOf(launcher);
        this.data = WORK.resolve(name).toAbsolutePath();
        List<String> all = new ArrayList<>(args);
        if (!all.contains("--env")) {
            all.addAll(List.of("--env", ENV));
        }
        this.extraArgs = List.copyOf(all);
        Files.createDirectories(WORK);
        this.log = WORK.resolve(name + ".log").toAbsolutePath();
        if (keepData) {
            starts = 1;
        } else {
            deleteRecursively(data);
        }
    }

    private static List<String> prepend(String a, String b, String... rest) {
        List<String> all = new ArrayList<>(List.of(a, b));
        all.addAll(List.of(rest));
        return all;
    }

    /**
     * Starts {@code size} nodes at once on free ports, each given all of their addresses as members and
     * {@code extraArgs}; answers them once every one serves a linearizable read.
     */
    static List<Node> startCluster(String prefix, int size, String... extraArgs) throws Exception {
        return startCluster(prefix, size, null, extraArgs);
    }

    /** As {@link #startCluster(String, int, String...)}, each node in a namespace of {@code bridge} where one is given. */
    static List<Node> startCluster(String prefix, int size, Bridge bridge, String... extraArgs) throws Exception {
        List<Integer> ports = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(bridge == null ? freePort() : 8080);
            hosts.add(bridge == null ? "127.0.0.1" : bridge.address(i + 1));
            addresses.add(hosts.get(i) + ":" + ports.get(i));
        }
        List<Node> nodes = new ArrayList<>();
        List<Long> launched = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            // A deploy folder of its own, empty: a test may drop a plugin or configuration into one node's.
            Path deploy = WORK.resolve(prefix + "-" + (i + 1) + ".deploy").toAbsolutePath();
            deleteRecursively(deploy);
            List<String> args = new ArrayList<>(List.of("--members", String.join(",", addresses), "--bootstrap-expect",
                Integer.toString(size), "--deploy", deploy.toString()));
            if (bridge != null) {
                args.addAll(List.of("--host", hosts.get(i)));
            }
            args.addAll(List.of(extraArgs));
            Node node = new Node(prefix + "-" + (i + 1), hosts.get(i), ports.get(i), args,
                bridge == null ? List.of() : bridge.launcher(i + 1));
            nodes.add(node);
            launched.add(node.launch());
        }
        for (int i = 0; i < size; i++) {
            Duration took = nodes.get(i).awaitServing(launched.get(i));
            System.out.println(nodes.get(i).name + " served a linearizable read after " + took.toMillis() + " ms");
        }
        return nodes;
    }

    /** The deploy folder {@link #startCluster} gave this node. */
    Path deploy() {
        return WORK.resolve(name + ".deploy").toAbsolutePath();
    }

    /** This node's address, as members name it. */
    String address() {
        return host + ":" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the process; answers how long it took until it served a linearizable read. */
    Duration start() throws Exception {
        long began = launch();
        return awaitServing(began);
    }

    /** Starts the process without waiting; answers when (System.nanoTime). */
    long launch() throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(HOME.resolve("bin/tansu").toAbsolutePath().toString(), "--port",
            Integer.toString(port), "--data", data.toString()));
        command.addAll(extraArgs);
        long began = System.nanoTime();
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        return began;
    }

    /** Waits until the node answers a linearizable read. */
    Duration awaitServing(long began) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                // A linearizable read answers only once the node leads and has applied its log.
                HttpResponse<String> r = Http.get(this, "/api/keys/?children=true");
                if (r.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - began);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not serve within 30 s; see " + log);
    }

    URI uri(String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, and the exit code once it stopped. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Sends a signal by name (STOP, CONT, ...) to the node's process. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL: no shutdown hook, no clean close of Derby. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Talking to a node as curl does. */
    static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

        private Http() {
        }

        static HttpResponse<String> get(Node node, String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(node.uri(path)).GET());
        }

        /** {@code curl -d value=...}: a form post. */
        static HttpResponse<String> form(Node node, String method, String path, String body)
            throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(node.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
        }

        static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
