package tansu.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Change-stream fan-out: {@code watchers} streams of one prefix, then writes one after another; for
 * each write, the time from sending it until the last watcher received its key. Each stream has its
 * own socket and thread, the writes one keep-alive connection: the client's own hand-offs stay out
 * of what is measured.
 */
final class FanOut {

    static final String NAME = "fan-out, 100 watchers";

    private FanOut() {
    }

    static Result run(Store store, int watchers, int writes) throws Exception {
        String prefix = "fan" + System.nanoTime();
        ConcurrentHashMap<String, CountDownLatch> pending = new ConcurrentHashMap<>();
        for (int i = 0; i < writes; i++) {
            pending.put(prefix + "/w" + i + "x", new CountDownLatch(watchers));
        }
        List<StreamingCall> streams = new ArrayList<>();
        CountDownLatch opened = new CountDownLatch(watchers);
        for (int w = 0; w < watchers; w++) {
            String endpoint = store.endpoints().get(w % store.endpoints().size());
            StreamingCall stream = StreamingCall.open(store.watch(endpoint, prefix));
            streams.add(stream);
            Thread reader = new Thread(() -> read(stream.body(), prefix, pending, opened, store));
            reader.setDaemon(true);
            reader.start();
        }
        // etcd confirms a watch with a first message; give every stream time to be registered.
        opened.await(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        String leader = store.leader();
        Histogram h = new Histogram();
        long errors = 0;
        long began = System.nanoTime();
        try (KeepAliveClient client = new KeepAliveClient()) {
            for (int i = 0; i < writes; i++) {
                String key = prefix + "/w" + i + "x";
                long sent = System.nanoTime();
                int status = client.send(store.put(leader, key, "v"));
                if (!store.ok(status) || !pending.get(key).await(10, TimeUnit.SECONDS)) {
                    errors++;
                } else {
                    h.record((System.nanoTime() - sent) / 1_000);
                }
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        for (StreamingCall s : streams) {
            s.close();
        }
        return Result.of(store.name(), NAME, h.count() * watchers / seconds, h, errors);
    }

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("\"key\":\"([^\"]+)\"");

    /** Counts a key down once per stream: SSE names it in a data line, etcd's gateway base64-encoded in JSON. */
    private static void read(InputStream body, String prefix, ConcurrentHashMap<String, CountDownLatch> pending,
        CountDownLatch opened, Store store) {
        opened.countDown();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                java.util.regex.Matcher m = KEY.matcher(line);
                while (m.find()) {
                    CountDownLatch latch = pending.get(name(m.group(1)));
                    if (latch != null) {
                        latch.countDown();
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
            return new String(java.util.Base64.getDecoder().decode(key), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return key;
        }
    }
}
