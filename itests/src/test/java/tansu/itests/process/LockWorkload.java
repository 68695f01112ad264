package tansu.itests.process;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import tansu.itests.jepsen.History;
import tansu.itests.jepsen.LockChecker;

/**
 * A client that takes the lock {@link #LOCK} through a random node, again and again, and while it
 * holds it writes its fencing token to a shared record with test-and-sets: {@code token:count}, only
 * over a value of a smaller or equal token. A write refused because a larger token got there first is
 * "fenced": the client stops and gives the lock back.
 */
final class LockWorkload implements Runnable {

    static final String LOCK = "jepsen";
    static final String RECORD = "/jepsen-lock/record";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final int process;
    private final List<Node> nodes;
    private final History history;
    private final long until;
    private final Random random;
    private final List<LockChecker.Hold> holds = new ArrayList<>();
    private final List<LockChecker.RecordWrite> writes = new ArrayList<>();
    private int fenced;

    LockWorkload(int process, List<Node> nodes, History history, long until) {
        this.process = process;
        this.nodes = nodes;
        this.history = history;
        this.until = until;
        this.random = new Random(200 + process);
    }

    @Override
    public void run() {
        while (System.nanoTime() < until) {
            Node node = nodes.get(random.nextInt(nodes.size()));
            long requested = System.nanoTime();
            try (EventStream s = new EventStream(node.uri("/api/locks/" + LOCK), Map.of(), TIMEOUT)) {
                if (s.status() != 200) {
                    Thread.sleep(200);
                    continue;
                }
                EventStream.Frame f;
                do {
                    f = s.poll(Duration.ofSeconds(30));
                } while (f != null && f.event().equals("waiting") && System.nanoTime() < until);
                if (f == null || !f.event().equals("granted")) {
                    continue;
                }
                long token = Probe.JSON.readTree(f.data()).path("token").asLong();
                long ended = hold(s, node, token);
                LockChecker.Hold h = new LockChecker.Hold(process, node.name, token, requested, f.at(), ended);
                synchronized (this) {
                    holds.add(h);
                }
                history.record("{\"hold\":" + process + ",\"node\":\"" + node.name + "\",\"token\":" + token + ",\"requested\":"
                    + requested + ",\"granted\":" + f.at() + ",\"ended\":" + ended + "}");
                // Given back explicitly; the stream closes after it.
                send(node, HttpRequest.newBuilder(node.uri("/api/locks/" + LOCK + "?token=" + token)).DELETE());
            } catch (InterruptedException e) {
                return;
            } catch (Exception unavailable) {
                RegisterWorkload.backOff(200);
            }
        }
    }

    /** Writes while holding; answers when this client stopped believing it held the lock (System.nanoTime). */
    private long hold(EventStream s, Node node, long token) throws Exception {
        String current = read();
        for (int count = 1; count <= 3 && current != null; count++) {
            Long gone = gone(s);
            if (gone != null) {
                return gone;
            }
            String next = token + ":" + count;
            String form = "value=" + encode(next) + (current.isEmpty() ? "&prevExist=false" : "&prevValue=" + encode(current));
            HttpResponse<String> r = send(node, HttpRequest.newBuilder(node.uri("/api/keys" + RECORD))
                .header("Content-Type", "application/x-www-form-urlencoded").PUT(HttpRequest.BodyPublishers.ofString(form)));
            if (r != null && r.statusCode() == 200) {
                synchronized (this) {
                    writes.add(new LockChecker.RecordWrite(current, next));
                }
                current = next;
            } else if (r != null && r.statusCode() == 409) {
                String now = Probe.JSON.readTree(r.body()).path("value").asText("");
                if (!now.isEmpty() && Long.parseLong(now.substring(0, now.indexOf(':'))) > token) {
                    synchronized (this) {
                        fenced++;
                    }
                    break;
                }
                current = now; // a write of ours that timed out took effect, or an older holder's value
            } else {
                current = read();
            }
            Thread.sleep(random.nextInt(100));
        }
        Long gone = gone(s);
        return gone != null ? gone : System.nanoTime();
    }

    /** When the stream said {@code lost} or ended, if it did. */
    private static Long gone(EventStream s) throws InterruptedException {
        for (EventStream.Frame f = s.poll(Duration.ZERO); f != null; f = s.poll(Duration.ZERO)) {
            if (f.event().equals("lost") || f.event().equals("released")) {
                return f.at();
            }
        }
        return s.awaitEnd(Duration.ZERO) ? s.endedAt : null;
    }

    /** The record's value ("" where absent) by a linearizable read through a random node; null where unknown. */
    private String read() {
        Node node = nodes.get(random.nextInt(nodes.size()));
        HttpResponse<String> r = send(node, HttpRequest.newBuilder(node.uri("/api/keys" + RECORD)).GET());
        if (r == null) {
            return null;
        }
        try {
            if (r.statusCode() == 404 && Probe.JSON.readTree(r.body()).path("key").asText().equals(RECORD)) {
                return "";
            }
            return r.statusCode() == 200 ? Probe.JSON.readTree(r.body()).path("value").asText() : null;
        } catch (Exception unreadable) {
            return null;
        }
    }

    private static HttpResponse<String> send(Node node, HttpRequest.Builder request) {
        try {
            return Node.Http.CLIENT.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception unanswered) {
            return null;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    synchronized List<LockChecker.Hold> holds() {
        return List.copyOf(holds);
    }

    synchronized List<LockChecker.RecordWrite> writes() {
        return List.copyOf(writes);
    }

    synchronized int fenced() {
        return fenced;
    }
}
