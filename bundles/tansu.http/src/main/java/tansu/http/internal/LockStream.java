package tansu.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;

import tansu.api.lock.LockListener;
import tansu.api.lock.LockSession;

/**
 * One client asking for a lock over a stream. The first answer decides the response: a grant or a
 * place in the queue opens the event stream, a busy lock (not waiting) is a 409 and a failure a 503.
 * The lock is held for as long as the stream stays open; every frame has a data line.
 */
final class LockStream implements LockListener {

    private final AsyncContext async;
    private final String name;
    private final SseHub hub;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile SseStream stream;
    private volatile LockSession session;

    LockStream(AsyncContext async, String name, SseHub hub) {
        this.async = async;
        this.name = name;
        this.hub = hub;
    }

    /** The session this stream holds; closing the stream closes it. */
    void attach(LockSession s) {
        session = s;
    }

    private Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lock", name);
        data.put("session", session.id());
        return data;
    }

    /** Opens the event stream on the first frame; answers it, or null where the response went otherwise. */
    private SseStream open() {
        if (answered.compareAndSet(false, true)) {
            try {
                SseStream s = hub.open(async);
                s.attach(() -> session.close());
                stream = s;
            } catch (IOException clientGone) {
                session.close();
            }
        }
        return stream;
    }

    @Override
    public void granted(String lock, long token) {
        Map<String, Object> data = data();
        data.put("token", token);
        data.put("holder", session.id());
        send(SseFrames.event(token, "granted", Json.string(data)), false);
    }

    @Override
    public void waiting(String lock, String holder, int position) {
        Map<String, Object> data = data();
        data.put("holder", holder);
        data.put("position", position);
        send(SseFrames.event("waiting", Json.string(data)), false);
    }

    @Override
    public void busy(String lock, String holder, long token) {
        answerOnce(new ApiException(409, "locked", "the lock is held and the request was not to wait",
            Map.of("lock", name, "holder", holder, "token", token)));
        session.close();
    }

    @Override
    public void released(String lock, long token) {
        Map<String, Object> data = data();
        data.put("token", token);
        send(SseFrames.event("released", Json.string(data)), true);
    }

    @Override
    public void lost(String reason) {
        if (answerOnce(new ApiException(503, "lock_unavailable", reason, Map.of("lock", name)))) {
            return;
        }
        Map<String, Object> data = data();
        data.put("reason", reason);
        send(SseFrames.event("lost", Json.string(data)), true);
    }

    private void send(byte[] frame, boolean last) {
        SseStream s = open();
        if (s == null) {
            return;
        }
        s.offer(frame);
        if (last) {
            s.finish();
        }
    }

    /** Answers with an error where nothing was answered yet; answers whether it did. */
    private boolean answerOnce(ApiException e) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        try {
            Responses.error((HttpServletResponse) async.getResponse(), e);
        } catch (IOException | RuntimeException clientGone) {
            // nobody to tell
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyComplete) {
                // the container completed it
            }
        }
        return true;
    }
}
