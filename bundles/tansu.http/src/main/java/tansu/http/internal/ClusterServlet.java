package tansu.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import tansu.api.Consensus;
import tansu.api.Member;
import tansu.api.NodeStatus;

/**
 * {@code /api/cluster}: the members of the cluster with their roles and, on the leader, how far each
 * log matches; and requests to add or remove a member or to hand leadership over. Requests are taken
 * by the leader (a follower forwards them) and answered 202: the configuration changes through the
 * log, one change at a time, and {@code GET /api/cluster} shows it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ClusterServlet.MOUNT, ClusterServlet.MOUNT + "/*"})
@HttpWhiteboardServletAsyncSupported
public final class ClusterServlet extends HttpServlet {

    static final String MOUNT = "/api/cluster";
    private static final long serialVersionUID = 1L;
    private static final int MAX_FORM = 65536;

    private final transient Consensus consensus;

    @Activate
    public ClusterServlet(@Reference Consensus consensus) {
        this.consensus = consensus;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String rest = path.length() > MOUNT.length() ? path.substring(MOUNT.length()) : "";
        String method = request.getMethod();
        try {
            if (rest.isEmpty() || rest.equals("/")) {
                allow(method, "GET", response);
                Responses.json(response, 200, view());
            } else if (rest.equals("/members")) {
                allow(method, "POST", response);
                String address = parameter(request, "address");
                int colon = address.lastIndexOf(':');
                long port = colon > 0 ? KeyRequest.number(address.substring(colon + 1), "port", 1) : -1;
                if (port < 1 || port > 65535) {
                    throw new ApiException(400, "bad_address", "address is host:port, not '" + address + "'");
                }
                accept(request, consensus.addMember(address.substring(0, colon), (int) port), Map.of("adding", address));
            } else if (rest.startsWith("/members/")) {
                allow(method, "DELETE", response);
                String id = UrlCodec.decode(rest.substring("/members/".length()), false);
                accept(request, consensus.removeMember(id), Map.of("removing", id));
            } else if (rest.equals("/leader")) {
                allow(method, "POST", response);
                String id = parameter(request, "id");
                accept(request, consensus.transferLeadership(id), Map.of("transferring_to", id));
            } else {
                throw new ApiException(404, "not_found", "no such cluster resource", Map.of("path", path));
            }
        } catch (ApiException e) {
            Responses.error(response, e);
        } catch (IllegalArgumentException e) {
            Responses.error(response, new ApiException(400, "bad_request", e.getMessage()));
        }
    }

    private static void allow(String method, String allowed, HttpServletResponse response) {
        if (!method.equals(allowed)) {
            response.setHeader("Allow", allowed);
            throw new ApiException(405, "method_not_allowed", "this resource answers " + allowed);
        }
    }

    /** A form field of the body, or a query parameter; a 400 where neither is there. */
    private static String parameter(HttpServletRequest request, String name) throws IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_FORM + 1);
        if (body.length > MAX_FORM) {
            throw new ApiException(413, "too_large", "a form here is at most " + MAX_FORM + " bytes");
        }
        Map<String, byte[]> form = UrlCodec.parseForm(new String(body, StandardCharsets.ISO_8859_1));
        String value = KeyRequest.text(form, UrlCodec.parseForm(request.getQueryString()), name);
        if (value == null || value.isBlank()) {
            throw new ApiException(400, "missing_" + name, "give " + name + "=... as a form field or query parameter");
        }
        return value.trim();
    }

    private static void accept(HttpServletRequest request, CompletionStage<Void> taken, Map<String, Object> what) {
        AsyncContext async = request.startAsync();
        taken.whenComplete((ok, failure) -> {
            HttpServletResponse out = (HttpServletResponse) async.getResponse();
            try {
                if (failure == null) {
                    Map<String, Object> body = new LinkedHashMap<>(what);
                    body.put("status", "accepted");
                    Responses.json(out, 202, body);
                } else {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    Responses.error(out, cause instanceof IllegalStateException
                        ? new ApiException(409, "conflict", cause.getMessage()) : Responses.failure(failure));
                }
            } catch (IOException clientGone) {
                // nobody to answer
            } finally {
                async.complete();
            }
        });
    }

    private Map<String, Object> view() {
        NodeStatus status = consensus.status();
        List<Map<String, Object>> members = new ArrayList<>();
        for (Member m : consensus.members()) {
            Map<String, Object> member = new HashMap<>();
            member.put("id", m.id());
            member.put("host", m.host());
            member.put("port", m.port());
            member.put("role", m.voter() ? "voter" : "learner");
            member.put("leader", m.leader());
            if (m.match() >= 0) {
                member.put("match", m.match());
            }
            members.add(member);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cluster", status.cluster());
        view.put("leader", status.leaderId());
        view.put("members", members);
        return view;
    }
}
