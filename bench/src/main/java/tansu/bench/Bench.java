package tansu.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives this project and etcd with the same load, one after the other, and prints one table. Run by
 * {@code bench/run}, which starts both clusters and names them:
 * {@code --tansu h:p,h:p,h:p --etcd h:p,h:p,h:p [--seconds 5] [--tansu-pids ..] [--etcd-pids ..]
 * [--tansu-start-ms ..] [--etcd-start-ms ..] [--out file]}.
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
        List<Store> stores = List.of(new TansuStore(List.of(options.get("tansu").split(","))),
            new EtcdStore(List.of(options.get("etcd").split(","))));
        Map<String, Map<String, Result>> table = new LinkedHashMap<>();
        for (Store store : stores) {
            for (Result r : measure(store, seconds)) {
                table.computeIfAbsent(r.scenario(), k -> new LinkedHashMap<>()).put(r.system(), r);
                System.err.printf("%s %s: %.0f/s p50 %.2f ms p99 %.2f ms errors %d%n", r.system(), r.scenario(), r.perSecond(),
                    r.p50() / 1000.0, r.p99() / 1000.0, r.errors());
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

    private static List<Result> measure(Store store, double seconds) throws Exception {
        String leader = store.leader();
        String follower = store.endpoints().stream().filter(e -> !e.equals(leader)).findFirst().orElseThrow();
        for (int k = 0; k < KEYS; k++) {
            HttpResponse<Void> r = Clients.HTTP.send(store.put(leader, key(k), VALUE), HttpResponse.BodyHandlers.discarding());
            if (!store.ok(r)) {
                throw new IllegalStateException(store.name() + " refused a preload write: " + r.statusCode());
            }
        }
        String name = store.name();
        double warmup = Math.min(2, seconds / 2);
        List<Result> results = new ArrayList<>();
        for (int connections : new int[] {1, 16, 64}) {
            results.add(Load.run(name, "write, " + connections + " conn", connections, warmup, seconds,
                (random, c) -> store.put(leader, key(random.nextInt(KEYS)), VALUE), store));
        }
        for (int connections : new int[] {16, 64}) {
            results.add(Load.run(name, "read leader, " + connections + " conn", connections, warmup, seconds,
                (random, c) -> store.get(leader, key(random.nextInt(KEYS))), store));
            results.add(Load.run(name, "read follower, " + connections + " conn", connections, warmup, seconds,
                (random, c) -> store.get(follower, key(random.nextInt(KEYS))), store));
        }
        results.add(Load.run(name, "90% read 10% write, 64 conn", 64, warmup, seconds, (random, c) -> {
            String endpoint = store.endpoints().get(c % store.endpoints().size());
            return random.nextInt(10) == 0 ? store.put(leader, key(random.nextInt(KEYS)), VALUE)
                : store.get(endpoint, key(random.nextInt(KEYS)));
        }, store));
        results.add(FanOut.run(store, 100, 200));
        results.add(HandOver.run(store, seconds));
        return results;
    }

    private static String key(int k) {
        return "bench/k" + k;
    }
}
