package tansu.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Change-stream fan-out: {@code watchers} streams of one prefix, spread over the members, then writes
 * one after another; for each write, the time from sending it until the last watcher received its
 * key. Like every other measurement it has warm-up writes before the measured ones. Each stream has
 * its own socket and thread, the writes one keep-alive connection: the client's own hand-offs stay
 * out of what is measured. On stderr, the same time for the last watcher of each member.
 */
final class FanOut {

    static final String NAME = "fan-out, 100 watchers";

    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]+)\"");

    /** One write on its way: how many streams still lack it, and when each member's last one got it. */
    private record Pending(CountDownLatch streams, AtomicLongArray lastByMember) {
    }

    private FanOut() {
    }

    static Result run(Store store, int watchers, double warmupSeconds, double seconds) throws Exception {
        String prefix = "fan" + System.nanoTime();
        List<String> members = store.endpoints();
        ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
        List<StreamingCall> streams = new ArrayList<>();
        CountDownLatch opened = new CountDownLatch(watchers);
        for (int w = 0; w < watchers; w++) {
            int member = w % members.size();
            StreamingCall stream = StreamingCall.open(store.watch(members.get(member), prefix));
            streams.add(stream);
            Thread reader = new Thread(() -> read(stream.body(), member, pending, opened));
            reader.setDaemon(true);
            reader.start();
        }
        // etcd confirms a watch with a first message; give every stream time to be registered.
        opened.await(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        String leader = store.leader();
        Histogram all = new Histogram();
        Histogram[] byMember = new Histogram[members.size()];
        for (int m = 0; m < byMember.length; m++) {
            byMember[m] = new Histogram();
        }
        long errors = 0;
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        try (KeepAliveClient client = new KeepAliveClient()) {
            for (int i = 0; System.nanoTime() < end; i++) {
                String key = prefix + "/w" + i + "x";
                Pending p = new Pending(new CountDownLatch(watchers), new AtomicLongArray(members.size()));
                pending.put(key, p);
                long sent = System.nanoTime();
                boolean delivered = store.ok(client.send(store.put(leader, key, "v"))) && p.streams().await(10, TimeUnit.SECONDS);
                pending.remove(key);
                if (sent < measureFrom) {
                    continue;
                }
                if (!delivered) {
                    errors++;
                    continue;
                }
                all.record((System.nanoTime() - sent) / 1_000);
                for (int m = 0; m < byMember.length; m++) {
                    byMember[m].record((p.lastByMember().get(m) - sent) / 1_000);
                }
            }
        }
        for (StreamingCall s : streams) {
            s.close();
        }
        StringBuilder line = new StringBuilder(store.name() + " fan-out, last watcher of each member, p50/p90/p99 ms:");
        for (int m = 0; m < byMember.length; m++) {
            line.append(String.format(" %s%s %.2f/%.2f/%.2f", members.get(m), members.get(m).equals(leader) ? " (leader)" : "",
                byMember[m].quantile(0.5) / 1e3, byMember[m].quantile(0.9) / 1e3, byMember[m].quantile(0.99) / 1e3));
        }
        System.err.println(line);
        return Result.of(store.name(), NAME, all.count() * watchers / seconds, all, errors);
    }

    /** Counts a key down once per stream: SSE names it in a data line, etcd's gateway base64-encoded in JSON. */
    private static void read(InputStream body, int member, ConcurrentHashMap<String, Pending> pending, CountDownLatch opened) {
        opened.countDown();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = KEY.matcher(line);
                while (m.find()) {
                    Pending p = pending.get(name(m.group(1)));
                    if (p != null) {
                        p.lastByMember().accumulateAndGet(member, System.nanoTime(), Math::max);
                        p.streams().countDown();
                    }
                }
            }
        } catch (Exception closed) {
            // the measurement is over
        }
    }

    private static String name(String key) {
        if (key.startsWith("/")) {
            return key.substring(1);
        }
        try {
            return new String(Base64.getDecoder().decode(key), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return key;
        }
    }
}
