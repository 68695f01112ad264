package tansu.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.AsyncContext;
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

    /** Writes a successful result. */
    @FunctionalInterface
    interface Writer<T> {
        void write(T result) throws IOException;
    }

    /** Completes {@code async} with what {@code writer} makes of the result, or with the error. */
    static <T> void answer(AsyncContext async, CompletionStage<T> stage, Writer<T> writer) {
        stage.whenComplete((result, failure) -> {
            HttpServletResponse out = (HttpServletResponse) async.getResponse();
            try {
                if (failure != null) {
                    error(out, failure(failure));
                } else {
                    try {
                        writer.write(result);
                    } catch (ApiException e) {
                        error(out, e);
                    }
                }
            } catch (IOException | RuntimeException clientGone) {
                // Nobody left to answer.
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException alreadyComplete) {
                    // The client went away and the container completed it.
                }
            }
        });
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
