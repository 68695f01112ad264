package tansu.http.internal;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** The default servlet: a path no other servlet serves is a JSON 404, like every other API error. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Responses.error(response, new ApiException(404, "not_found", "nothing is served at this path",
            Map.of("path", request.getRequestURI())));
    }
}
