package tansu.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.lock.LockInfo;
import tansu.api.lock.LockService;
import tansu.api.lock.LockSession;

/**
 * {@code /api/locks/{name}}: {@code GET} asks for the lock over an event stream and holds it while the
 * stream is open ({@code ?wait=false}: 409 where it is held); {@code ?peek=true} shows who holds it and
 * who waits without asking; {@code DELETE ?token=T} releases it where that token holds it.
 */
@Component(service = Servlet.class, configurationPid = "tansu.http")
@HttpWhiteboardServletPattern({LocksServlet.MOUNT, LocksServlet.MOUNT + "/*"})
@HttpWhiteboardServletAsyncSupported
public final class LocksServlet extends HttpServlet {

    static final String MOUNT = "/api/locks";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LocksServlet.class);

    private final transient LockService locks;
    private final transient HttpConfig config;
    private final transient SseHub streams;

    @Activate
    public LocksServlet(@Reference LockService locks, HttpConfig config) {
        this.locks = locks;
        this.config = config;
        this.streams = new SseHub(config.stream_buffer_frames(), config.lock_keepalive_s());
    }

    @Deactivate
    void deactivate() {
        streams.close();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            KeyRequest lock = KeyRequest.parse(request, MOUNT, config.max_key_bytes());
            if (lock.key.equals("/")) {
                throw new ApiException(400, "bad_lock", "name a lock: /api/locks/{name}");
            }
            switch (request.getMethod()) {
                case "GET" -> get(lock, request);
                case "DELETE" -> release(lock, request);
                default -> {
                    response.setHeader("Allow", "GET, DELETE");
                    throw new ApiException(405, "method_not_allowed", request.getMethod() + " is not supported on locks");
                }
            }
        } catch (ApiException e) {
            Responses.error(response, e);
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
            Responses.error(response, new ApiException(500, "internal", String.valueOf(e)));
        }
    }

    private void get(KeyRequest lock, HttpServletRequest request) throws IOException {
        if (lock.flag("peek")) {
            CompletionStage<LockInfo> peeked = locks.peek(lock.key);
            Responses.answer(request.startAsync(), peeked, (out, info) -> Responses.json(out, 200, describe(info)));
            return;
        }
        boolean wait = !lock.query.containsKey("wait") || lock.flag("wait");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        LockStream stream = new LockStream(async, lock.key, streams);
        LockSession session = locks.session(stream);
        stream.attach(session);
        session.acquire(lock.key, wait);
    }

    private void release(KeyRequest lock, HttpServletRequest request) throws IOException {
        String tokenText = KeyRequest.text(Map.of(), lock.query, "token");
        if (tokenText == null) {
            throw new ApiException(400, "bad_token", "releasing takes the token of the grant: ?token=T");
        }
        long token = KeyRequest.number(tokenText, "token", 1);
        CompletionStage<Boolean> releasing = locks.release(lock.key, token);
        Responses.answer(request.startAsync(), releasing, (out, released) -> {
            if (!released) {
                throw new ApiException(409, "not_holder", "token " + token + " does not hold the lock",
                    Map.of("lock", lock.key, "token", token));
            }
            Responses.json(out, 200, Map.of("lock", lock.key, "released", token));
        });
    }

    private static Map<String, Object> describe(LockInfo info) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lock", info.name());
        if (info.holder() == null) {
            body.put("holder", null);
        } else {
            body.put("holder", Map.of("session", info.holder().session(), "node", info.holder().node(),
                "token", info.holder().token()));
        }
        List<Map<String, Object>> waiting = new ArrayList<>();
        for (LockInfo.Waiter w : info.waiting()) {
            waiting.add(Map.of("session", w.session(), "node", w.node()));
        }
        body.put("waiting", waiting);
        return body;
    }
}
