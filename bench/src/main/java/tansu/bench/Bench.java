package tansu.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives this project and etcd with the same load and prints one table: each system is loaded and
 * warmed up, then every scenario runs on one system and at once on the other, so that what the
 * machine's disk and neighbours do during a run falls on both alike. Run by
 * {@code bench/run}, which starts both clusters and names them:
 * {@code --tansu h:p,h:p,h:p --etcd h:p,h:p,h:p [--seconds 5] [--tansu-pids ..] [--etcd-pids ..]
 * [--tansu-start-ms ..] [--etcd-start-ms ..] [--tansu-restart-ms ..] [--etcd-restart-ms ..] [--warmup 120]
 * [--out file]}; {@code --only <text>} measures only the scenarios whose name contains it (for profiling one);
 * {@code --first etcd} warms up and measures etcd first.
 */
public final class Bench {

    private static final int KEYS = 1000;
    private static final String VALUE = "v".repeat(100);

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "5"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "120"));
        List<Store> stores = new ArrayList<>();
        if (options.containsKey("tansu")) {
            stores.add(new TansuStore(List.of(options.get("tansu").split(","))));
        }
        if (options.containsKey("etcd")) {
            stores.add(new EtcdStore(List.of(options.get("etcd").split(","))));
        }
        if ("etcd".equals(options.get("first"))) {
            // Warmed up and measured in the other order, to see what the order itself does.
            Collections.reverse(stores);
        }
        String only = options.getOrDefault("only", "");
        List<Map<String, java.util.concurrent.Callable<Result>>> scenarios = new ArrayList<>();
        for (Store store : stores) {
            scenarios.add(prepare(store, seconds, warmup));
        }
        Map<String, Map<String, Result>> table = new LinkedHashMap<>();
        for (String scenario : scenarios.get(0).keySet()) {
            if (!scenario.contains(only)) {
                continue;
            }
            for (int s = 0; s < stores.size(); s++) {
                String pids = options.getOrDefault(stores.get(s).name() + "-pids", "");
                long cpuBefore = Cpu.millis(pids);
                long began = System.nanoTime();
                Result r = scenarios.get(s).get(scenario).call();
                double cores = (Cpu.millis(pids) - cpuBefore) / ((System.nanoTime() - began) / 1e6);
                table.computeIfAbsent(r.scenario(), k -> new LinkedHashMap<>()).put(r.system(), r);
                System.err.printf("%s %s: %.0f/s p50 %.2f ms p99 %.2f ms errors %d (p90 %.2f, p99.9 %.2f; nodes' CPU %.2f cores)%n",
                    r.system(), r.scenario(), r.perSecond(), r.p50() / 1000.0, r.p99() / 1000.0, r.errors(), r.p90() / 1000.0,
                    r.p999() / 1000.0, cores);
            }
        }
        String report = Report.render(table, options);
        System.out.println(report);
        if (options.containsKey("out")) {
            Path out = Path.of(options.get("out"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
            System.err.println("written to " + out);
        }
    }

    static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    }

    /**
     * Loads the keys, runs {@code systemWarmup} seconds of writes and reads on every member (a JVM
     * compiles its hot paths in its first tens of seconds under load, and a store serves for days, so
     * both systems are measured warm) and answers the scenarios, by name, to run on it.
     */
    private static Map<String, java.util.concurrent.Callable<Result>> prepare(Store store, double seconds, double systemWarmup)
        throws Exception {
        String leader = store.leader();
        String follower = store.endpoints().stream().filter(e -> !e.equals(leader)).findFirst().orElse(leader);
        for (int k = 0; k < KEYS; k++) {
            HttpResponse<Void> r = Clients.HTTP.send(store.put(leader, key(k), VALUE).toHttpRequest(),
                HttpResponse.BodyHandlers.discarding());
            if (!store.ok(r.statusCode())) {
                throw new IllegalStateException(store.name() + " refused a preload write: " + r.statusCode());
            }
        }
        String name = store.name();
        if (systemWarmup > 0) {
            Result r = Load.run(name, "warm-up", 64, 0, systemWarmup, (random, c) -> {
                String endpoint = store.endpoints().get(c % store.endpoints().size());
                return random.nextInt(4) == 0 ? store.put(leader, key(random.nextInt(KEYS)), VALUE)
                    : store.get(endpoint, key(random.nextInt(KEYS)));
            }, store);
            System.err.printf("%s warm-up, %.0f s: %.0f/s%n", name, systemWarmup, r.perSecond());
        }
        double warmup = Math.min(2, seconds / 2);
        Map<String, java.util.concurrent.Callable<Result>> scenarios = new LinkedHashMap<>();
        for (int connections : new int[] {1, 16, 64}) {
            String scenario = "write, " + connections + " conn";
            scenarios.put(scenario, () -> Load.run(name, scenario, connections, warmup, seconds,
                (random, c) -> store.put(leader, key(random.nextInt(KEYS)), VALUE), store));
        }
        for (int connections : new int[] {16, 64}) {
            for (String where : new String[] {"leader", "follower"}) {
                String scenario = "read " + where + ", " + connections + " conn";
                String endpoint = where.equals("leader") ? leader : follower;
                scenarios.put(scenario, () -> Load.run(name, scenario, connections, warmup, seconds,
                    (random, c) -> store.get(endpoint, key(random.nextInt(KEYS))), store));
            }
        }
        String mix = "90% read 10% write, 64 conn";
        scenarios.put(mix, () -> Load.run(name, mix, 64, warmup, seconds, (random, c) -> {
            String endpoint = store.endpoints().get(c % store.endpoints().size());
            return random.nextInt(10) == 0 ? store.put(leader, key(random.nextInt(KEYS)), VALUE)
                : store.get(endpoint, key(random.nextInt(KEYS)));
        }, store));
        scenarios.put(FanOut.NAME, () -> FanOut.run(store, 100, warmup, seconds));
        scenarios.put(HandOver.NAME, () -> HandOver.run(store, seconds));
        return scenarios;
    }

    private static String key(int k) {
        return "bench/k" + k;
    }
}
