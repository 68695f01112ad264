package tansu.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.api.kv.Condition;
import tansu.api.kv.DeleteRequest;
import tansu.api.kv.KeyValue;
import tansu.api.kv.KeyValueStore;
import tansu.api.kv.KvResult;
import tansu.api.kv.PutRequest;
import tansu.api.kv.ReadResult;
import tansu.api.kv.Value;

/**
 * {@code /api/keys/{key}}: set, get and delete keys, with test-and-set and expiry, and change streams
 * ({@code ?stream=true}). Writes and linearizable reads go async and are answered when the store
 * completes them; no container thread waits on consensus.
 */
@Component(service = Servlet.class, configurationPid = "tansu.http")
@Designate(ocd = HttpConfig.class)
@HttpWhiteboardServletPattern({KeysServlet.MOUNT, KeysServlet.MOUNT + "/*"})
@HttpWhiteboardServletAsyncSupported
public final class KeysServlet extends HttpServlet {

    static final String MOUNT = "/api/keys";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KeysServlet.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final transient KeyValueStore store;
    private final transient HttpConfig config;
    private final transient SseHub streams;

    @Activate
    public KeysServlet(@Reference KeyValueStore store, HttpConfig config) {
        this.store = store;
        this.config = config;
        this.streams = new SseHub(config.stream_buffer_frames(), config.keepalive_s());
    }

    @Deactivate
    void deactivate() {
        streams.close();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            KeyRequest key = KeyRequest.parse(request, MOUNT, config.max_key_bytes());
            switch (request.getMethod()) {
                case "GET" -> get(key, request, response);
                case "PUT", "POST" -> put(key, request, response);
                case "DELETE" -> delete(key, request, response);
                case "OPTIONS" -> {
                    response.setHeader("Allow", "GET, PUT, POST, DELETE, OPTIONS");
                    response.setStatus(204);
                }
                default -> {
                    response.setHeader("Allow", "GET, PUT, POST, DELETE, OPTIONS");
                    throw new ApiException(405, "method_not_allowed", request.getMethod() + " is not supported on keys");
                }
            }
        } catch (ApiException e) {
            // Refused before its body was read: read it now (within bounds), or Jetty closes a
            // connection the client may already be sending its next request on.
            if (!request.isAsyncStarted()) {
                try {
                    drain(request.getInputStream(), DRAIN_BEYOND_LIMIT);
                } catch (IOException | IllegalStateException unreadable) {
                    // nothing more to read
                }
            }
            Responses.error(response, e);
        } catch (IOException clientGone) {
            // The client went away mid-request (a body that never came, a closed socket): nobody to answer.
            LOG.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), clientGone.toString());
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
            Responses.error(response, new ApiException(500, "internal", String.valueOf(e)));
        }
    }

    // ---- GET

    private void get(KeyRequest key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean children = key.flag("children");
        if (key.flag("stream")) {
            stream(key, children, request);
            return;
        }
        boolean local = consistency(key);
        // Asked before the exchange goes async: what throws at once is answered by service() and done.
        CompletionStage<ReadResult> read = store.get(key.key, children, local);
        Responses.answer(request.startAsync(), read, (out, result) -> {
            // The root always exists, as the parent of every key.
            if (result.isEmpty() && !(children && key.key.equals("/"))) {
                throw new ApiException(404, "not_found", "no such key", Map.of("key", key.key));
            }
            KeyValue kv = result.key();
            if (kv != null) {
                out.setHeader("created-index", Long.toString(kv.created()));
                out.setHeader("updated-index", Long.toString(kv.updated()));
                if (kv.expiresAt() != 0) {
                    out.setHeader("ttl", Long.toString(Responses.secondsLeft(kv)));
                }
            }
            if (!children && !kv.value().isJson() && !kv.value().isText()) {
                out.setStatus(200);
                out.setContentType(kv.value().contentType());
                out.setContentLength(kv.value().bytes().length);
                out.getOutputStream().write(kv.value().bytes());
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (kv != null) {
                body.put("value", kv.value());
            }
            if (children) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (KeyValue child : result.children()) {
                    map.put(child.key(), Map.of("value", child.value()));
                }
                body.put("children", map);
            }
            Responses.json(out, 200, body);
        });
    }

    private static boolean consistency(KeyRequest key) {
        byte[] c = key.query.get("consistency");
        if (c == null) {
            return false;
        }
        String value = new String(c, java.nio.charset.StandardCharsets.UTF_8);
        if (value.equals("local")) {
            return true;
        }
        if (value.equals("linearizable")) {
            return false;
        }
        throw new ApiException(400, "bad_parameter", "consistency is linearizable (the default) or local");
    }

    private void stream(KeyRequest key, boolean recursive, HttpServletRequest request) throws IOException {
        long after = resumePoint(key, request);
        AsyncContext async = request.startAsync();
        SseStream stream = streams.open(async);
        stream.offer(SseFrames.comment("stream of " + key.key + (recursive ? " and below" : "")));
        stream.attach(store.watch(key.key, recursive, after, stream));
    }

    /** {@code Last-Event-ID} or {@code ?after=}; otherwise live changes from now on. */
    private long resumePoint(KeyRequest key, HttpServletRequest request) {
        String lastEventId = request.getHeader("Last-Event-ID");
        byte[] after = key.query.get("after");
        if (lastEventId != null && !lastEventId.isBlank()) {
            return KeyRequest.number(lastEventId, "Last-Event-ID", 0);
        }
        if (after != null) {
            return KeyRequest.number(new String(after, java.nio.charset.StandardCharsets.UTF_8), "after", 0);
        }
        return store.revision();
    }

    // ---- PUT and POST

    private void put(KeyRequest key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        rejectRoot(key);
        String type = mediaType(request);
        Map<String, byte[]> form = Map.of();
        Value value;
        if (type == null || type.equals(FORM)) {
            byte[] body = body(request, 3L * config.max_value_bytes() + 65536);
            form = parseForm(body);
            byte[] v = form.containsKey("value") ? form.get("value") : key.query.get("value");
            if (v == null) {
                throw new ApiException(400, "missing_value",
                    "give the value as a form field value=..., or as a body with its Content-Type");
            }
            try {
                UrlCodec.utf8(v);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad_value", "a form value is UTF-8 text; send bytes with their Content-Type");
            }
            value = new Value(Value.TEXT, v);
        } else {
            byte[] body = body(request, config.max_value_bytes());
            if (type.equals(Value.JSON)) {
                if (!Json.isDocument(body)) {
                    throw new ApiException(400, "bad_json", "the body is not one well-formed JSON document");
                }
                value = new Value(Value.JSON, body);
            } else {
                value = new Value(request.getContentType().trim(), body);
            }
        }
        if (value.bytes().length > config.max_value_bytes()) {
            throw tooLarge();
        }
        String ttlText = header(request, "ttl");
        if (ttlText == null) {
            ttlText = KeyRequest.text(form, key.query, "ttl");
        }
        long ttl = ttlText == null || ttlText.isEmpty() ? 0 : KeyRequest.number(ttlText, "ttl", 1);
        Condition condition = KeyRequest.condition(form, key.query);
        CompletionStage<KvResult> written = store.putDirect(new PutRequest(key.key, value, ttl, condition));
        Responses.answer(request.startAsync(), written, KeysServlet::writeResult);
    }

    // ---- DELETE

    private void delete(KeyRequest key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        rejectRoot(key);
        Map<String, byte[]> form = FORM.equals(mediaType(request)) ? parseForm(body(request, 65536)) : Map.of();
        Condition condition = KeyRequest.condition(form, key.query);
        CompletionStage<KvResult> deleted = store.deleteDirect(new DeleteRequest(key.key, condition));
        Responses.answer(request.startAsync(), deleted, KeysServlet::writeResult);
    }

    private static void writeResult(HttpServletResponse out, KvResult result) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> tansu = new LinkedHashMap<>();
        if (result instanceof KvResult.Written w) {
            body.put("value", w.current().value());
            tansu.put("current", Responses.metadata(w.current(), false));
            if (w.previous() != null) {
                tansu.put("previous", Responses.metadata(w.previous(), true));
            }
            body.put("metadata", Map.of("tansu", tansu));
            Responses.json(out, 200, body);
        } else if (result instanceof KvResult.Deleted d) {
            body.put("value", d.key() == null ? null : d.key().value());
            if (d.key() != null) {
                tansu.put("previous", Responses.metadata(d.key(), true));
            }
            body.put("metadata", Map.of("tansu", tansu));
            body.put("deleted", d.all().size());
            Responses.json(out, 200, body);
        } else if (result instanceof KvResult.ConditionFailed f) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("key", f.key());
            if (f.current() != null) {
                details.put("value", f.current().value());
                details.put("metadata", Map.of("tansu", Map.of("current", Responses.metadata(f.current(), false))));
            }
            Responses.error(out, new ApiException(409, "condition_failed", "the test of test-and-set failed", details));
        } else if (result instanceof KvResult.NotFound n) {
            Responses.error(out, new ApiException(404, "not_found", "no such key", Map.of("key", n.key())));
        }
    }

    // ---- helpers

    private static void rejectRoot(KeyRequest key) {
        if (key.key.equals("/")) {
            throw new ApiException(403, "root_read_only", "the root key / cannot be set or deleted");
        }
    }

    private static String mediaType(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || type.isBlank()) {
            return null;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        return value == null ? null : value.trim();
    }

    private static Map<String, byte[]> parseForm(byte[] body) {
        try {
            return UrlCodec.parseForm(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_form", "the form body is not valid: " + e.getMessage());
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "value_too_large", "a value is at most " + config.max_value_bytes() + " bytes");
    }

    /** Reads and drops up to {@code max} bytes, or to the end of the body. */
    private static void drain(InputStream in, long max) throws IOException {
        byte[] sink = new byte[65536];
        long left = max;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    /** Bodies up to this much over a limit are read and dropped before the 413, so the client hears it. */
    private static final long DRAIN_BEYOND_LIMIT = 8L * 1024 * 1024;

    /**
     * The request body, refusing (413) one longer than {@code limit}. A client that is still sending
     * when the answer comes may never read it (its connection is reset): so a body that is only
     * somewhat too long is read to its end first, and only a far larger one is cut short.
     */
    private byte[] body(HttpServletRequest request, long limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            if (declared <= limit + DRAIN_BEYOND_LIMIT) {
                drain(request.getInputStream(), declared);
            }
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                // Read into an array of the declared size: no buffer to grow, copy and drop per request.
                byte[] exact = new byte[(int) declared];
                if (in.readNBytes(exact, 0, exact.length) < exact.length) {
                    throw new ApiException(400, "body_cut_short", "the body ended before its Content-Length");
                }
                return exact;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (bytes.size() + n > limit) {
                    drain(in, DRAIN_BEYOND_LIMIT);
                    throw tooLarge();
                }
                bytes.write(chunk, 0, n);
            }
            return bytes.toByteArray();
        }
    }
}
