package tansu.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import tansu.api.Consensus;
import tansu.api.kv.Condition;
import tansu.api.kv.KeyValueStore;
import tansu.api.kv.KvResult;
import tansu.api.kv.PutRequest;
import tansu.api.kv.ReadResult;
import tansu.api.kv.Value;

/**
 * The node's bundles, exactly those of the node feature as the distribution ships them, in a real
 * Felix with real Derby files and real Jetty: configured through Configuration Admin as the launcher
 * does, used through the services and over HTTP, and with the kv bundle updated in place.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeInFelixTest {

    private static final Path HOME = Path.of(System.getProperty("tansu.home", "../distribution/target/tansu"));
    /** Chosen when the configuration is made; inside the framework, read it back from there. */
    private static final String PORT_PROPERTY = "org.osgi.service.http.port";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Configuration
    public Option[] configuration() throws IOException {
        Properties feature = new Properties();
        try (InputStream in = NodeInFelixTest.class.getClassLoader().getResourceAsStream("tansu/feature/node.properties")) {
            feature.load(in);
        }
        List<Option> options = new ArrayList<>();
        // Bundles must not see the test class path: resolve as in production.
        options.add(frameworkProperty("felix.bootdelegation.implicit").value("false"));
        options.add(frameworkProperty(PORT_PROPERTY).value(Integer.toString(freePort())));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        // Above every level of the feature, and above Pax Exam's test probe (level 5).
        options.add(frameworkStartLevel(10));
        options.add(junitBundles());
        int defaultLevel = Integer.parseInt(feature.getProperty("startlevel.default"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(HOME.resolve("bundle"))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            int level = Integer.parseInt(feature.getProperty("startlevel." + name, Integer.toString(defaultLevel)));
            boolean fragment;
            try (JarFile jarFile = new JarFile(jar.toFile())) {
                fragment = jarFile.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
            }
            options.add(bundle(jar.toUri().toString()).startLevel(level).start(!fragment));
        }
        return options.toArray(new Option[0]);
    }

    private <T> T await(Class<T> type, Bundle notFrom) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                for (org.osgi.framework.ServiceReference<T> ref : tracker.getServiceReferences() == null
                    ? new org.osgi.framework.ServiceReference[0] : tracker.getServiceReferences()) {
                    if (ref.getBundle() != notFrom) {
                        return context.getService(ref);
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError(type.getSimpleName() + " did not appear");
        } finally {
            tracker.close();
        }
    }

    private void configureOnce() throws Exception {
        org.osgi.service.cm.Configuration storage = configurationAdmin.getConfiguration("tansu.storage.derby", "?");
        if (storage.getProperties() != null) {
            return;
        }
        File data = Files.createTempDirectory(new File("target").toPath(), "felix-node").toFile();
        Hashtable<String, Object> s = new Hashtable<>();
        s.put("data.dir", data.getAbsolutePath());
        storage.update(s);
        Hashtable<String, Object> raft = new Hashtable<>();
        raft.put("bootstrap.expect", 1);
        raft.put("port", Integer.parseInt(context.getProperty(PORT_PROPERTY)));
        configurationAdmin.getConfiguration("tansu.raft", "?").update(raft);
    }

    private KeyValueStore store(Bundle notFrom) throws Exception {
        configureOnce();
        return await(KeyValueStore.class, notFrom);
    }

    private static Bundle bundleOf(Object service) {
        return FrameworkUtil.getBundle(service.getClass());
    }

    @Test
    public void theStoreWritesReadsAndServesHttpInsideFelix() throws Exception {
        KeyValueStore store = store(null);
        KvResult put = store.put(new PutRequest("/felix/hello", Value.text("world"), 0, Condition.NONE))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(put instanceof KvResult.Written);
        ReadResult read = store.get("/felix/hello", false, false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("world", read.key().value().utf8());

        assertEquals("{\"value\":\"world\"}", httpGet("/api/keys/felix/hello").body());
        HttpResponse<String> info = httpGet("/api/info");
        assertTrue(info.body(), info.body().contains("\"tansu.kv\":\"0.1.0\"") && info.body().contains("\"role\":\"leader\""));
        assertEquals("leader", await(Consensus.class, null).status().role());
    }

    /** A GET on the node's Jetty, once the whiteboard serves it (it starts alongside our bundles). */
    private HttpResponse<String> httpGet(String path) throws Exception {
        return http("GET", path, "");
    }

    /** A request, sent again while it is answered 404 or 503 (a servlet not registered yet), for 20 s at most. */
    private HttpResponse<String> http(String method, String path, String form) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + context.getProperty(PORT_PROPERTY) + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .method(method, HttpRequest.BodyPublishers.ofString(form)).build();
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                boolean notServedYet = response.statusCode() == 404 || response.statusCode() == 503;
                if (!notServedYet || System.currentTimeMillis() > deadline) {
                    return response;
                }
            } catch (IOException notListeningYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw notListeningYet;
                }
            }
            Thread.sleep(50);
        }
    }

    @Test
    public void updatingTheKvBundleInPlaceKeepsItsData() throws Exception {
        KeyValueStore before = store(null);
        for (int i = 0; i < 20; i++) {
            before.put(new PutRequest("/swap/" + i, Value.text("v" + i), 0, Condition.NONE)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        }
        Bundle kv = bundleOf(before);
        long revision = before.revision();
        kv.update();

        KeyValueStore after = store(null);
        assertNotNull(after);
        ReadResult read = after.get("/swap", true, false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(20, read.children().size());
        assertEquals("v7", after.get("/swap/7", false, false).toCompletableFuture().get(10, TimeUnit.SECONDS)
            .key().value().utf8());
        assertEquals(revision, after.revision());
    }

    @Test
    public void updatingTheHttpBundleInPlaceKeepsServing() throws Exception {
        KeyValueStore store = store(null);
        store.put(new PutRequest("/http/swap", Value.text("kept"), 0, Condition.NONE)).toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        assertEquals("{\"value\":\"kept\"}", httpGet("/api/keys/http/swap").body());
        Bundle http = null;
        for (Bundle b : context.getBundles()) {
            if ("tansu.http".equals(b.getSymbolicName())) {
                http = b;
            }
        }
        assertNotNull(http);
        http.update();
        assertEquals("{\"value\":\"kept\"}", httpGet("/api/keys/http/swap").body());
    }

    /** A copy of a bundle with another Bundle-Version: a newer release of it, as far as the framework knows. */
    private static File withVersion(Path jar, String version) throws IOException {
        File copy = Files.createTempFile(new File("target").toPath(), "plugin-" + version, ".jar").toFile();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(Files.newInputStream(jar))) {
            java.util.jar.Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(new java.io.FileOutputStream(copy), manifest)) {
                java.util.jar.JarEntry entry;
                while ((entry = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    /** A counter increment as the plugin's servlet proposes it. */
    private static byte[] increment(String counter, long delta) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeUTF(counter);
        out.writeLong(delta);
        return bytes.toByteArray();
    }

    @Test
    public void thePluginInstallsServesLeavesAndReturnsWithItsState() throws Exception {
        store(null);
        Consensus consensus = await(Consensus.class, null);
        String jar = HOME.resolve("plugins/tansu.counter.jar").toUri().toString();
        Bundle plugin = context.installBundle(jar);
        plugin.start();
        assertEquals("{\"value\":5}", http("POST", "/api/counters/felix", "delta=5").body());
        assertEquals("{\"value\":7}", http("POST", "/api/counters/felix", "delta=2").body());

        try (InputStream newer = new java.io.FileInputStream(withVersion(HOME.resolve("plugins/tansu.counter.jar"), "0.1.1"))) {
            plugin.update(newer);
        }
        assertEquals("0.1.1", plugin.getVersion().toString());
        assertEquals("upgraded in place, it keeps its state", "{\"value\":7}", httpGet("/api/counters/felix").body());

        plugin.uninstall();
        long deadline = System.currentTimeMillis() + 20_000;
        HttpClient client = HttpClient.newHttpClient();
        URI counter = URI.create("http://127.0.0.1:" + context.getProperty(PORT_PROPERTY) + "/api/counters/felix");
        while (client.send(HttpRequest.newBuilder(counter).build(), HttpResponse.BodyHandlers.ofString()).statusCode() != 404) {
            assertTrue("the endpoint goes with the plugin", System.currentTimeMillis() < deadline);
            Thread.sleep(50);
        }
        // Committed while the plugin is away: held, never skipped.
        try {
            consensus.propose("counter", increment("felix", 3)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException noMachineHere) {
            assertTrue(String.valueOf(noMachineHere.getCause()), noMachineHere.getCause() instanceof IllegalStateException);
        }
        awaitInfo("\"waiting_for\":{\"counter\":1}");

        plugin = context.installBundle(jar);
        plugin.start();
        assertEquals("{\"value\":10}", httpGet("/api/counters/felix").body());
        awaitInfo("\"waiting_for\":{}");
    }

    /** Waits for /api/info to say {@code fragment}: the node's status is published once a tick. */
    private void awaitInfo(String fragment) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!httpGet("/api/info").body().contains(fragment)) {
            assertTrue(fragment + " in " + httpGet("/api/info").body(), System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
    }
}
