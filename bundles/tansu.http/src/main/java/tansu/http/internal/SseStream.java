package tansu.http.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;

import tansu.api.ChangeEvent;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

/**
 * One client's change stream. Events are framed on arrival and queued in a bounded buffer; a writer
 * thread drains it. The apply path never waits: when a slow client lets the buffer fill, the stream
 * is closed and the client resumes with {@code Last-Event-ID}.
 */
final class SseStream implements Watcher, AsyncListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ArrayBlockingQueue<byte[]> buffer;
    private final Executor writers;
    private final Runnable onClose;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean finishing;
    private volatile Watch watch;
    /** The thread writing to the client right now, if any; guarded by itself as a lock. */
    private final Thread[] writer = new Thread[1];

    SseStream(AsyncContext async, int bufferFrames, Executor writers, Runnable onClose) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.buffer = new ArrayBlockingQueue<>(bufferFrames);
        this.writers = writers;
        this.onClose = onClose;
        async.addListener(this);
    }

    void attach(Watch w) {
        watch = w;
        if (closed.get()) {
            w.close();
        }
    }

    @Override
    public void event(ChangeEvent event) {
        offer(SseFrames.event(event));
    }

    @Override
    public void reset(long revision) {
        offer(SseFrames.event(revision, "reset", Json.string(Map.of("revision", revision,
            "message", "changes before this revision are no longer kept; read the current state again"))));
    }

    void offer(byte[] frame) {
        if (closed.get()) {
            return;
        }
        if (!buffer.offer(frame)) {
            close();
            return;
        }
        if (draining.compareAndSet(false, true)) {
            writers.execute(this::drain);
        }
    }

    private void drain() {
        synchronized (writer) {
            writer[0] = Thread.currentThread();
        }
        try {
            while (true) {
                byte[] frame;
                while ((frame = buffer.poll()) != null) {
                    out.write(frame);
                }
                out.flush();
                draining.set(false);
                if (finishing && buffer.isEmpty()) {
                    close();
                    return;
                }
                // A frame offered after the last poll but before the flag was cleared needs a writer.
                if (buffer.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException clientGone) {
            draining.set(false);
            close();
        } finally {
            boolean complete;
            synchronized (writer) {
                writer[0] = null;
                complete = closed.get();
            }
            if (complete) {
                complete();
            }
        }
    }

    /** Closes the stream once what was offered is written. */
    void finish() {
        finishing = true;
        if (!draining.get() && buffer.isEmpty()) {
            close();
        }
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        buffer.clear();
        onClose.run();
        synchronized (writer) {
            if (writer[0] != null) {
                // Completing while a write is under way is refused: the writer completes when it ends.
                return;
            }
        }
        complete();
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyDone) {
            // The container completed it first (client gone).
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not restarted.
    }
}
