package tansu.counter.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import tansu.api.Consensus;
import tansu.api.NoLeaderException;

/**
 * {@code /api/counters/{name}}: {@code POST} (form {@code delta}, default 1) answers {@code {"value":N}}
 * once the increment is applied; {@code GET} answers it after a linearizable read barrier, 404 for a
 * counter never incremented.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({CounterServlet.MOUNT, CounterServlet.MOUNT + "/*"})
@HttpWhiteboardServletAsyncSupported
public final class CounterServlet extends HttpServlet {

    static final String MOUNT = "/api/counters";
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final long TIMEOUT_MS = 10_000;

    private final transient Consensus consensus;
    private final transient CounterMachine machine;

    @Activate
    public CounterServlet(@Reference Consensus consensus, @Reference CounterMachine machine) {
        this.consensus = consensus;
        this.machine = machine;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String name = path.length() > MOUNT.length() + 1 ? path.substring(MOUNT.length() + 1) : "";
        if (!NAME.matcher(name).matches()) {
            error(response, 400, "bad_name", "a counter is named by 1 to 128 letters, digits, '.', '_' or '-'");
            return;
        }
        switch (request.getMethod()) {
            case "POST" -> increment(name, request, response);
            case "GET" -> read(name, request);
            default -> {
                response.setHeader("Allow", "GET, POST");
                error(response, 405, "method_not_allowed", request.getMethod() + " is not supported on counters");
            }
        }
    }

    private void increment(String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String text = request.getParameter("delta");
        long delta;
        try {
            delta = text == null || text.isEmpty() ? 1 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            error(response, 400, "bad_delta", "delta is a whole number");
            return;
        }
        AsyncContext async = request.startAsync();
        answer(async, consensus.propose(CounterMachine.NAME, CounterMachine.increment(name, delta)), value -> value);
    }

    private void read(String name, HttpServletRequest request) {
        AsyncContext async = request.startAsync();
        answer(async, consensus.readBarrier(), ignored -> machine.get(name));
    }

    private <T> void answer(AsyncContext async, CompletionStage<T> stage, java.util.function.Function<T, Object> value) {
        // The answer's blocking write goes on a container thread: on consensus's, a client that does
        // not read would hold up every request of the node.
        stage.toCompletableFuture().orTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .whenComplete((result, failure) -> async.start(() -> respond(async, result, failure, value)));
    }

    private static <T> void respond(AsyncContext async, T result, Throwable failure,
                                    java.util.function.Function<T, Object> value) {
        HttpServletResponse out = (HttpServletResponse) async.getResponse();
        try {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof NoLeaderException) {
                error(out, 503, "no_leader", "no leader is known");
            } else if (cause instanceof IllegalStateException) {
                // The plugin left this node before the increment was applied: it is held, applied on return.
                error(out, 503, "unavailable", "the counter plugin left this node; the increment is applied when it returns");
            } else if (cause instanceof TimeoutException) {
                error(out, 504, "timeout", "no answer in time; the increment may or may not have happened");
            } else if (cause != null) {
                error(out, 500, "internal", String.valueOf(cause));
            } else {
                Object v = value.apply(result);
                if (v == null) {
                    error(out, 404, "not_found", "no such counter");
                } else {
                    write(out, 200, "{\"value\":" + v + "}");
                }
            }
        } catch (IOException clientGone) {
            // nobody to answer
        } finally {
            async.complete();
        }
    }

    private static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        write(response, status, "{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
