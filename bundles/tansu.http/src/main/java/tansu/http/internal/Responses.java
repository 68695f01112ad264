package tansu.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.http.HttpServletResponse;

import tansu.api.NoLeaderException;
import tansu.api.kv.KeyValue;

/** Writing JSON answers, errors included. */
final class Responses {

    private Responses() {
    }

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = Json.bytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse response, ApiException e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code);
        body.put("message", e.getMessage());
        body.putAll(e.details);
        json(response, e.status, body);
    }

    /** The answer for a failure of consensus or of the store. */
    static ApiException failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof NoLeaderException) {
            return new ApiException(503, "no_leader", "no leader is known: " + cause.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return new ApiException(504, "timeout", "no answer in time; the write may or may not have happened");
        }
        return new ApiException(500, "internal", String.valueOf(cause));
    }

    /** The metadata of a key as the API shows it. */
    static Map<String, Object> metadata(KeyValue kv, boolean withValue) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", kv.created());
        m.put("updated", kv.updated());
        m.put("content_type", kv.value().contentType());
        m.put("parent", kv.parent());
        if (kv.expiresAt() != 0) {
            m.put("ttl", secondsLeft(kv));
        }
        if (withValue) {
            m.put("value", kv.value());
        }
        return m;
    }

    /** Seconds until the key expires, by this node's clock, never below 0. */
    static long secondsLeft(KeyValue kv) {
        long ms = kv.expiresAt() - System.currentTimeMillis();
        return Math.max(0, (ms + 999) / 1000);
    }
}
