package tansu.http.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;

/** The open change streams of a servlet: their writer thread and their keep-alive comments. */
final class SseHub implements AutoCloseable {

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    /** One thread writes every stream, none of its writes waiting on a client. */
    private final ExecutorService writer;
    private final ScheduledExecutorService keepAlive;
    private final int bufferFrames;

    SseHub(int bufferFrames, int keepAliveSeconds) {
        this.bufferFrames = bufferFrames;
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "tansu-sse-writer"));
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tansu-sse-keepalive"));
        keepAlive.scheduleAtFixedRate(() -> streams.forEach(s -> s.offer(SseFrames.KEEP_ALIVE)),
            keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Answers 200 with an event stream (no caching, no proxy buffering) and opens it. */
    SseStream open(AsyncContext async) throws IOException {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        async.setTimeout(0);
        SseStream[] self = new SseStream[1];
        self[0] = new SseStream(async, bufferFrames, writer, () -> streams.remove(self[0]));
        streams.add(self[0]);
        return self[0];
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        streams.forEach(SseStream::close);
        writer.shutdown();
    }
}
