package tansu.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lock hand-over between two clients on different members: each takes the lock, gives it back, and
 * asks again, for {@code seconds}. Answers hand-overs per second and the latency of taking the lock.
 */
final class HandOver {

    static final String NAME = "lock hand-over, 2 clients";

    private HandOver() {
    }

    static Result run(Store store, double seconds) throws Exception {
        String name = "hand" + System.nanoTime();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong errors = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Histogram h = new Histogram();
            histograms.add(h);
            String endpoint = store.endpoints().get(c % store.endpoints().size());
            threads.add(new Thread(() -> {
                while (System.nanoTime() < until) {
                    long asked = System.nanoTime();
                    try {
                        Object held = store.lock(endpoint, name);
                        h.record((System.nanoTime() - asked) / 1_000);
                        store.unlock(endpoint, held);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        Histogram all = new Histogram();
        histograms.forEach(all::add);
        return Result.of(store.name(), NAME, all.count() / seconds, all, errors.get());
    }
}
