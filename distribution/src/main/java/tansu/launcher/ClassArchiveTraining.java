package tansu.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.osgi.framework.launch.Framework;

/**
 * The run {@code bin/tansu --class-archive} makes the class-data archive of: a one-node cluster in a
 * temporary directory that serves a few writes, reads and deletes and stops (the bundles' jars first
 * rewritten uncompressed, {@link StoredBundles}). The JVM, started with
 * {@code -XX:ArchiveClassesAtExit}, then writes every class it loaded, the bundles' included, to the
 * archive, which later starts map instead of loading and verifying those classes again.
 */
public final class ClassArchiveTraining {

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) {
        try {
            train();
        } catch (Exception | Error e) {
            // Felix may leave non-daemon threads behind: without an explicit exit a failed run would hang the build.
            e.printStackTrace();
            System.exit(1);
        }
        // The archive is written as the JVM exits.
        System.exit(0);
    }

    private static void train() throws Exception {
        Path home = Path.of(System.getProperty("tansu.home", ".")).toAbsolutePath().normalize();
        // Before the training run, so that what it archives is what later starts read.
        int stored = StoredBundles.store(home.resolve("bundle"));
        if (stored > 0) {
            System.out.println("tansu: " + stored + " bundles in bundle/ rewritten with their entries stored, not deflated");
        }
        Path data = Files.createTempDirectory("tansu-class-archive");
        int port = freePort();
        String self = "127.0.0.1:" + port;
        Options options = Options.parse(new String[] {"--port", Integer.toString(port), "--data", data.toString(),
            "--mdns", "false", "--members", self, "--bootstrap-expect", "1"}, Map.of(), home);
        Main.defaultLogging();
        Framework framework = Main.start(home, options, Main.feature());
        try {
            serve(URI.create("http://" + self));
            System.out.println("tansu: " + new LoadedClassLinker().linkAll(framework.getBundleContext())
                + " loaded bundle classes linked for the archive");
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
            Main.deleteTree(data);
        }
    }

    private static void serve(URI node) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (send(client, HttpRequest.newBuilder(node.resolve("/api/keys/?children=true")).GET()) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the training node did not serve within 60 s");
            }
            Thread.sleep(50);
        }
        for (int i = 0; i < 200; i++) {
            URI key = node.resolve("/api/keys/training/k" + (i % 10));
            expect(send(client, HttpRequest.newBuilder(key).header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=v" + i))), "PUT", key);
            expect(send(client, HttpRequest.newBuilder(key).GET()), "GET", key);
        }
        URI training = node.resolve("/api/keys/training");
        expect(send(client, HttpRequest.newBuilder(training).DELETE()), "DELETE", training);
        URI info = node.resolve("/api/info");
        expect(send(client, HttpRequest.newBuilder(info).GET()), "GET", info);
    }

    /** A node that does not serve what it is asked is a broken build, not a smaller archive. */
    private static void expect(int status, String method, URI uri) {
        if (status < 200 || status > 299) {
            throw new IllegalStateException(method + " " + uri + " answered " + status);
        }
    }

    private static int send(HttpClient client, HttpRequest.Builder request) throws InterruptedException {
        try {
            return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
