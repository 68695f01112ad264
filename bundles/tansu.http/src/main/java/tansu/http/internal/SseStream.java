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
import jakarta.servlet.WriteListener;

import tansu.api.ChangeEvent;
import tansu.api.kv.Watch;
import tansu.api.kv.Watcher;

/**
 * One client's change stream. Events are framed on arrival and queued in a bounded buffer; the hub's
 * writer drains it with non-blocking writes, so a hundred streams of one change cost one thread's
 * wake-up, not a hundred. A client that does not read leaves a write pending: the container calls
 * back once it drains. The apply path never waits: when a slow client lets the buffer fill, the
 * stream is closed and the client resumes with {@code Last-Event-ID}.
 */
final class SseStream implements Watcher, AsyncListener, WriteListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ArrayBlockingQueue<byte[]> buffer;
    private final Executor writer;
    private final Runnable onClose;
    /** Whether the stream is queued for the writer, being written or waiting for the container's call. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean finishing;
    private volatile Watch watch;
    /** Guarded by this: frames were written since the last flush. */
    private boolean unflushed;
    /** Guarded by this: a write is pending, so completing must wait for the container's call. */
    private boolean pending;

    SseStream(AsyncContext async, int bufferFrames, Executor writer, Runnable onClose) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.buffer = new ArrayBlockingQueue<>(bufferFrames);
        this.writer = writer;
        this.onClose = onClose;
        async.addListener(this);
        // The container's first call (write possible) drains what was offered meanwhile.
        scheduled.set(true);
        out.setWriteListener(this);
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
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    /**
     * Writes what is buffered while the container takes it without waiting. Where it would wait, the
     * stream stays scheduled: the container calls {@link #onWritePossible} once the client read.
     */
    private synchronized void drain() {
        pending = false;
        try {
            while (!closed.get()) {
                if (!out.isReady()) {
                    pending = true;
                    return;
                }
                byte[] frame = buffer.poll();
                if (frame != null) {
                    out.write(frame);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else if (finishing) {
                    close();
                    return;
                } else {
                    scheduled.set(false);
                    // A frame offered after the last poll but before the flag was cleared needs a writer.
                    if (buffer.isEmpty() || !scheduled.compareAndSet(false, true)) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException clientGone) {
            close();
            return;
        }
        // Closed while a write was pending: this call is the one that completes.
        complete();
    }

    @Override
    public void onError(Throwable failure) {
        synchronized (this) {
            pending = false;
        }
        close();
        complete();
    }

    /** Closes the stream once what was offered is written. */
    void finish() {
        finishing = true;
        schedule();
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
        complete();
    }

    /** Completes the exchange, unless a write is pending: then the container's call completes it. */
    private void complete() {
        synchronized (this) {
            if (pending) {
                return;
            }
        }
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
