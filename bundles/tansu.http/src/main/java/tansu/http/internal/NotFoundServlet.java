package tansu.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The default servlet: a path no other servlet serves is a JSON 404, like every other API error. The
 * node's own APIs are different: where one of them is not served, the part behind it is not running
 * yet (the node is starting, or a bundle is being updated), and a 404 would read as "no such key".
 * Those get a 503 to retry.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final List<String> CORE = List.of("/api/keys", "/api/locks", "/api/cluster", "/api/info");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String api : CORE) {
            if (path.equals(api) || path.startsWith(api + "/")) {
                response.setHeader("Retry-After", "1");
                Responses.error(response, new ApiException(503, "unavailable",
                    "this part of the node is not running yet (starting, or being updated): retry", Map.of("path", path)));
                return;
            }
        }
        Responses.error(response, new ApiException(404, "not_found", "nothing is served at this path",
            Map.of("path", request.getRequestURI())));
    }
}
