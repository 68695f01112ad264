package tansu.itests.process;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** An SSE client that parses frames as a browser's EventSource does. */
final class EventStream implements AutoCloseable {

    /** One dispatched event; {@code data} lines joined with newlines; {@code at} when it arrived (System.nanoTime). */
    record Frame(String id, String event, String data, long at) {
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<String> comments = new ArrayList<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    EventStream(URI uri, Map<String, String> headers) throws Exception {
        this(uri, headers, null);
    }

    /** A stream whose response must begin within {@code timeout} (null: no limit). */
    EventStream(URI uri, Map<String, String> headers, Duration timeout) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
        if (timeout != null) {
            request.timeout(timeout);
        }
        headers.forEach(request::header);
        response = Node.Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        reader = new Thread(this::read, "sse-reader " + uri);
        reader.setDaemon(true);
        reader.start();
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        frames.add(new Frame(id, event == null ? "message" : event, data.toString(), System.nanoTime()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    synchronized (comments) {
                        comments.add(line);
                    }
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (RuntimeException closed) {
            // stream closed
        } finally {
            endedAt = System.nanoTime();
            ended.countDown();
        }
    }

    /** When the stream ended (System.nanoTime); meaningful once {@link #awaitEnd} says it did. */
    volatile long endedAt;

    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    /** Whether the server ended the stream within {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Frame next(Duration timeout) throws InterruptedException {
        Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return f;
    }

    /** The next frame, which must be an {@code event} one (within 20 s), its data as JSON. */
    com.fasterxml.jackson.databind.JsonNode expect(String event) throws Exception {
        Frame f = next(Duration.ofSeconds(20));
        if (!f.event().equals(event)) {
            throw new AssertionError("expected an " + event + " frame, got " + f);
        }
        return Probe.JSON.readTree(f.data());
    }

    Frame poll(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> comments() {
        synchronized (comments) {
            return List.copyOf(comments);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
        reader.interrupt();
    }
}
