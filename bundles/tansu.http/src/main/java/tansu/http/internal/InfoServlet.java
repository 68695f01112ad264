package tansu.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import tansu.api.Consensus;
import tansu.api.NodeStatus;

/**
 * {@code /api/info}: this node's view of the cluster, answered locally, shaped as the original's.
 * {@code applications} lists the framework's bundles, the OSGi counterpart of OTP applications.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/info")
public final class InfoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BundleContext context;
    private final transient Consensus consensus;

    @Activate
    public InfoServlet(BundleContext context, @Reference Consensus consensus) {
        this.context = context;
        this.consensus = consensus;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("GET")) {
            response.setHeader("Allow", "GET");
            Responses.error(response, new ApiException(405, "method_not_allowed", "/api/info answers GET"));
            return;
        }
        Responses.json(response, 200, info());
    }

    Map<String, Object> info() {
        Map<String, Object> applications = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null && bundle.getBundleId() != 0) {
                applications.put(bundle.getSymbolicName(), plain(bundle.getVersion()));
            }
        }
        NodeStatus s = consensus.status();
        Map<String, Object> consensusInfo = new LinkedHashMap<>();
        consensusInfo.put("cluster", s.cluster());
        consensusInfo.put("id", s.id());
        consensusInfo.put("env", s.env());
        consensusInfo.put("role", s.role());
        consensusInfo.put("term", s.term());
        consensusInfo.put("commit_index", s.commitIndex());
        consensusInfo.put("last_applied", s.lastApplied());
        if (s.leaderId() != null) {
            consensusInfo.put("leader", Map.of("id", s.leaderId(), "commit_index", s.leaderCommitIndex()));
        }
        Map<String, Object> connections = new TreeMap<>();
        s.connections().forEach((id, peer) -> connections.put(id, Map.of("host", peer.host(), "port", peer.port())));
        consensusInfo.put("connections", connections);
        // Committed entries for state machines this node lacks: held in order until they arrive.
        consensusInfo.put("waiting_for", s.waitingFor());

        Version own = context.getBundle().getVersion();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("applications", applications);
        info.put("consensus", consensusInfo);
        info.put("version", Map.of("major", own.getMajor(), "minor", own.getMinor(), "patch", own.getMicro()));
        return info;
    }

    private static String plain(Version v) {
        return v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }
}
