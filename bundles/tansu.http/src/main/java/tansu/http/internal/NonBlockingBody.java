package tansu.http.internal;

import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * A response body written without ever blocking the thread that hands it over (Servlet non-blocking
 * output): what the socket takes goes out at once, the rest when the container says the connection
 * takes more; the exchange completes once all of it is out. Such a body may be handed over on the
 * thread that drives consensus, which must never wait on a client that reads slowly or not at all.
 */
final class NonBlockingBody implements WriteListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    // Guarded by this: isReady and write must not run on two threads at once.
    private byte[] body;
    private boolean written;
    private boolean completed;

    /** Call on the container's thread, while the request is being handled. */
    NonBlockingBody(AsyncContext async) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        out.setWriteListener(this);
    }

    /** Writes {@code bytes} after the status and headers set; from any thread, at most once. */
    synchronized void send(byte[] bytes) {
        body = bytes;
        progress();
    }

    @Override
    public synchronized void onWritePossible() {
        progress();
    }

    @Override
    public synchronized void onError(Throwable failure) {
        complete();
    }

    private void progress() {
        try {
            // Not ready: the container calls onWritePossible once it is.
            if (body == null || completed || !out.isReady()) {
                return;
            }
            if (!written) {
                written = true;
                if (body.length > 0) {
                    out.write(body);
                }
                if (!out.isReady()) {
                    return;
                }
            }
            complete();
        } catch (IOException | IllegalStateException clientGone) {
            complete();
        }
    }

    /**
     * Completes the exchange where the body is out. Cheap on any thread: the body is written, and the
     * container reads the connection's next request on a thread of its own.
     */
    private void complete() {
        if (!completed) {
            completed = true;
            try {
                async.complete();
            } catch (IllegalStateException alreadyComplete) {
                // The client went away and the container completed it.
            }
        }
    }
}
