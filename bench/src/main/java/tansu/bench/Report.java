package tansu.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The table of a run, as Markdown: each scenario's figures for both systems and their ratio; then the nodes. */
final class Report {

    private Report() {
    }

    static String render(Map<String, Map<String, Result>> table, Map<String, String> options) {
        StringBuilder out = new StringBuilder();
        String file = options.containsKey("out") ? Path.of(options.get("out")).getFileName().toString().replace(".md", "") : Bench.stamp();
        out.append("# Benchmark ").append(file).append("\n\n");
        out.append(String.format(Locale.ROOT, "%d cores, %s, %s s per measurement after %s s of warm-up load on each system; latencies in ms;"
            + " ratio = tansu / etcd%n%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            options.getOrDefault("seconds", "5"), options.getOrDefault("warmup", "60")));
        out.append("| scenario | tansu /s | p50 | p99 | err | etcd /s | p50 | p99 | err | ratio |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        table.forEach((scenario, bySystem) -> {
            Result t = bySystem.get("tansu");
            Result e = bySystem.get("etcd");
            out.append("| ").append(scenario).append(" | ").append(cells(t)).append(" | ").append(cells(e)).append(" | ")
                .append(t == null || e == null || e.perSecond() == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", t.perSecond() / e.perSecond()))
                .append(" |\n");
        });
        // Serving after launch: the three launched at once; after restart: the node stopped and launched
        // again alone, once the cluster served.
        out.append("\n| node | resident MiB | serving after launch ms | serving after restart ms |\n| --- | ---: | ---: | ---: |\n");
        for (String system : new String[] {"tansu", "etcd"}) {
            String[] pids = options.getOrDefault(system + "-pids", "").split(",");
            String[] starts = options.getOrDefault(system + "-start-ms", "").split(",");
            String[] restarts = options.getOrDefault(system + "-restart-ms", "").split(",");
            for (int i = 0; i < pids.length; i++) {
                if (!pids[i].isBlank()) {
                    out.append("| ").append(system).append(' ').append(i + 1).append(" | ").append(residentMiB(pids[i])).append(" | ")
                        .append(cell(starts, i)).append(" | ").append(cell(restarts, i)).append(" |\n");
                }
            }
        }
        return out.toString();
    }

    private static String cell(String[] values, int i) {
        return i < values.length && !values[i].isBlank() ? values[i] : "-";
    }

    private static String cells(Result r) {
        if (r == null) {
            return "- | - | - | -";
        }
        return String.format(Locale.ROOT, "%.0f | %.2f | %.2f | %d", r.perSecond(), r.p50() / 1000.0, r.p99() / 1000.0, r.errors());
    }

    /** VmRSS of a process, from /proc. */
    private static String residentMiB(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid.trim(), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f", kib / 1024.0);
                }
            }
        } catch (Exception gone) {
            // the process ended
        }
        return "-";
    }
}
