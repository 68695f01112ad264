package tansu.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Starts one Tansu node in the foreground: an Apache Felix framework with the bundles of the node
 * feature ({@code bundle/}), configured from the command line and {@code TANSU_*} variables through
 * Configuration Admin. SIGTERM stops the framework cleanly.
 */
public final class Main {

    static final String FEATURE = "tansu/feature/node.properties";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("tansu.home", ".")).toAbsolutePath().normalize();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(Options.usage());
            return;
        }
        Options options;
        try {
            options = Options.parse(args, System.getenv(), home);
        } catch (IllegalArgumentException e) {
            System.err.println("tansu: " + e.getMessage());
            System.err.print(Options.usage());
            System.exit(2);
            return;
        }
        String taken = portTaken(options.port());
        if (taken != null) {
            // Else the node would start without its HTTP server, useless and alive.
            System.err.println("tansu: port " + options.port() + " is not free: " + taken);
            System.exit(1);
            return;
        }
        defaultLogging();
        Framework framework = start(home, options, feature());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "tansu-shutdown"));
        framework.waitForStop(0);
    }

    /** Why the HTTP server could not listen on {@code port} (as it does, on every address), or null. */
    static String portTaken(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(port));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    static Properties feature() throws IOException {
        Properties feature = new Properties();
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream(FEATURE)) {
            if (in == null) {
                throw new IllegalStateException(FEATURE + " is not on the class path");
            }
            feature.load(in);
        }
        return feature;
    }

    static Framework start(Path home, Options options, Properties feature) throws Exception {
        Files.createDirectories(options.data());
        Files.createDirectories(options.deploy());
        Map<String, String> properties = new HashMap<>();
        feature.stringPropertyNames().stream().filter(k -> k.startsWith("framework."))
            .forEach(k -> properties.put(k.substring("framework.".length()), feature.getProperty(k)));
        properties.put(Constants.FRAMEWORK_STORAGE, options.data().resolve("felix-cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("felix.fileinstall.dir", options.deploy().toString());
        // File Install's working copies go with the node's data, not to a new folder in /tmp that a
        // killed node would leave there; what a killed node left here is cleared first.
        Path installWork = options.data().resolve("fileinstall");
        deleteTree(installWork);
        properties.put("felix.fileinstall.tmpdir", installWork.toString());
        properties.put("org.osgi.service.http.port", Integer.toString(options.port()));

        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(properties);
        framework.init();
        BundleContext context = framework.getBundleContext();
        int defaultLevel = Integer.parseInt(feature.getProperty("startlevel.default", "1"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(home.resolve("bundle"))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            Bundle bundle = context.installBundle("reference:" + jar.toUri());
            int level = Integer.parseInt(feature.getProperty("startlevel." + name, Integer.toString(defaultLevel)));
            bundle.adapt(BundleStartLevel.class).setStartLevel(level);
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        // Configure the moment Configuration Admin appears, while later bundles are still starting:
        // opening Derby then overlaps with starting Jetty.
        String filter = "(" + Constants.OBJECTCLASS + "=" + ConfigurationAdminClient.TYPE + ")";
        java.util.concurrent.CompletableFuture<Void> configured = new java.util.concurrent.CompletableFuture<>();
        context.addServiceListener(event -> {
            if (event.getType() == org.osgi.framework.ServiceEvent.REGISTERED && !configured.isDone()) {
                try {
                    configure(new ConfigurationAdminClient(context.getService(event.getServiceReference()),
                        event.getServiceReference().getBundle()), options);
                    configured.complete(null);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    configured.completeExceptionally(e);
                }
            }
        }, filter);
        framework.start();
        configured.get(30, java.util.concurrent.TimeUnit.SECONDS);
        return framework;
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Hands the node's settings to Configuration Admin, which the components wait for. */
    private static void configure(ConfigurationAdminClient admin, Options options) throws ReflectiveOperationException {
        Hashtable<String, Object> storage = new Hashtable<>();
        storage.put("data.dir", options.data().toString());
        Hashtable<String, Object> raft = new Hashtable<>();
        raft.put("env", options.env());
        raft.put("host", options.host());
        raft.put("port", options.port());
        raft.put("peer.port", options.peerPort());
        raft.put("bootstrap.expect", options.bootstrapExpect());
        raft.put("snapshot.entries", options.snapshotCount());
        raft.put("snapshot.log.ratio", options.snapshotLogRatio());
        raft.put("heartbeat.ms", options.heartbeatMs());
        raft.put("election.ms", options.electionMs());
        raft.put("remove.after.s", options.removeAfterS());
        raft.put("tick.ms", Math.max(1, options.heartbeatMs() / 2));
        Hashtable<String, Object> members = new Hashtable<>();
        members.put("members", options.members().toArray(new String[0]));
        Hashtable<String, Object> mdns = new Hashtable<>();
        mdns.put("host", options.host());
        mdns.put("port", options.port());
        mdns.put("env", options.env());
        Hashtable<String, Object> lock = new Hashtable<>();
        lock.put("lease.ms", options.lockLeaseS() * 1000L);
        // Four renewals a lease: one lost or slow renewal does not cost a session.
        lock.put("renew.ms", options.lockLeaseS() * 250L);
        admin.update("tansu.lock", lock);
        admin.update("tansu.storage.derby", storage);
        admin.update("tansu.discovery.members", members);
        if (options.mdns()) {
            admin.update("tansu.discovery.mdns", mdns);
        }
        admin.update("tansu.raft", raft);
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("tansu: stopping the framework: " + e);
        }
    }

    static void defaultLogging() {
        Map<String, String> defaults = Map.of(
            "org.slf4j.simpleLogger.logFile", "System.out",
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
            "org.slf4j.simpleLogger.showShortLogName", "true",
            "org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn",
            "org.slf4j.simpleLogger.log.org.apache.felix.http", "warn");
        defaults.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
        // Bundles that log through java.util.logging go to stdout too, one line each.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ [%3$s] %4$s %5$s%6$s%n");
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new java.util.logging.StreamHandler(System.out, new java.util.logging.SimpleFormatter()) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                flush();
            }
        });
    }

    /**
     * Configuration Admin, used by reflection: its API lives in a bundle, and this launcher is outside
     * the framework.
     */
    private record ConfigurationAdminClient(Object admin, Bundle provider) {

        static final String TYPE = "org.osgi.service.cm.ConfigurationAdmin";

        void update(String pid, Dictionary<String, Object> properties) throws ReflectiveOperationException {
            try {
                Class<?> adminType = provider.loadClass(TYPE);
                Class<?> configurationType = provider.loadClass("org.osgi.service.cm.Configuration");
                Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, pid, "?");
                configurationType.getMethod("update", Dictionary.class).invoke(configuration, properties);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot configure " + pid, e.getCause());
            }
        }
    }
}
