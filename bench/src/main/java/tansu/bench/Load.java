package tansu.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * A closed loop: {@code connections} clients, each sending its next request as soon as the last one
 * was answered, for a warm-up and then a measured time. Answers req/s, latencies and errors.
 */
final class Load {

    /** One request to make: chosen per call from the client's random source. */
    interface Requests extends BiFunction<Random, Integer, Call> {
    }

    private Load() {
    }

    static Result run(String system, String scenario, int connections, double warmupSeconds, double seconds, Requests requests,
        Store store) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long until = measureFrom + (long) (seconds * 1e9);
        List<Histogram> histograms = new ArrayList<>();
        long[] errors = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Histogram h = new Histogram();
            histograms.add(h);
            int client = c;
            threads.add(new Thread(() -> loop(client, requests, store, measureFrom, until, h, errors),
                system + "-" + scenario + "-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        Histogram all = new Histogram();
        histograms.forEach(all::add);
        long errorCount = 0;
        for (long e : errors) {
            errorCount += e;
        }
        return Result.of(system, scenario, all.count() / seconds, all, errorCount);
    }

    /** One client: each request sent as soon as the last was answered; only those inside the measured time count. */
    private static void loop(int client, Requests requests, Store store, long measureFrom, long until, Histogram h, long[] errors) {
        Random random = new Random(client);
        long now = System.nanoTime();
        try (KeepAliveClient http = new KeepAliveClient()) {
            while (now < until) {
                Call request = requests.apply(random, client);
                boolean ok;
                try {
                    ok = store.ok(http.send(request));
                } catch (IOException | RuntimeException e) {
                    ok = false;
                }
                long done = System.nanoTime();
                if (now >= measureFrom && done <= until) {
                    if (ok) {
                        h.record((done - now) / 1_000);
                    } else {
                        errors[client]++;
                    }
                }
                now = done;
            }
        }
    }
}
