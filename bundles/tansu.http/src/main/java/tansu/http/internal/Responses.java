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

    /** Writes a successful result to a response. */
    @FunctionalInterface
    interface ResponseWriter<T> {
        void write(HttpServletResponse response, T result) throws IOException;
    }

    /**
     * Completes {@code async} with what {@code writer} makes of the result, or with the error. The
     * answer is made in memory and written without blocking whichever thread completes the stage
     * (consensus's own, at times), so that a client that reads slowly or not at all holds up nobody
     * else. Call on the container's thread, while the request is being handled.
     */
    static <T> void answer(AsyncContext async, CompletionStage<T> stage, ResponseWriter<T> writer)
        throws IOException {
        NonBlockingBody body = new NonBlockingBody(async);
        stage.whenComplete((result, failure) -> body.send(inMemory((HttpServletResponse) async.getResponse(), result, failure, writer)));
    }

    /** The answer's body (its status and headers set on {@code response}). */
    private static <T> byte[] inMemory(HttpServletResponse response, T result, Throwable failure, ResponseWriter<T> writer) {
        ApiException error;
        try {
            if (failure == null) {
                BufferedResponse out = new BufferedResponse(response);
                writer.write(out, result);
                return out.body();
            }
            error = failure(failure);
        } catch (ApiException e) {
            error = e;
        } catch (IOException | RuntimeException e) {
            error = new ApiException(500, "internal", String.valueOf(e));
        }
        // A fresh buffer: the writer may have written part of its answer before it failed.
        BufferedResponse out = new BufferedResponse(response);
        try {
            error(out, error);
        } catch (IOException inMemoryWritesDoNot) {
            throw new java.io.UncheckedIOException(inMemoryWritesDoNot);
        }
        return out.body();
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
