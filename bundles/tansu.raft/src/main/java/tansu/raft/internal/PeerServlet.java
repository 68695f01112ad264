package tansu.raft.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tansu.raft.core.Message;

/**
 * {@code POST /internal/raft}: batches of Raft messages from peers, on the node's own port. A batch is
 * refused whole where it is malformed (400) or comes from another cluster or environment (409); the
 * answer always carries this node's own header, so that a peer learns who answers at an address.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(PeerServlet.PATH)
public final class PeerServlet extends HttpServlet {

    static final String PATH = "/internal/raft";
    private static final Logger LOG = LoggerFactory.getLogger(PeerServlet.class);
    private static final long serialVersionUID = 1L;
    private static final int MAX_BATCH_BYTES = 72 * 1024 * 1024;
    private static final long ANSWER_WAIT_MS = 250;

    private final transient PeerInbox inbox;

    @Activate
    public PeerServlet(@Reference PeerInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("POST")) {
            refuse(response, 405, "method_not_allowed", "peers POST batches here");
            return;
        }
        PeerCodec.Batch batch;
        try {
            batch = PeerCodec.decode(body(request));
        } catch (IOException malformed) {
            refuse(response, 400, "malformed_batch", malformed.getMessage());
            return;
        }
        String refusal = inbox.refusal(batch.header());
        if (refusal != null) {
            refuse(response, 409, "foreign_peer", refusal);
            return;
        }
        byte[] answer = PeerCodec.encode(inbox.self(), answerTo(inbox.receive(batch), ANSWER_WAIT_MS));
        response.setStatus(200);
        int peerPort = inbox.peerPort();
        if (peerPort > 0) {
            // Where the peer's driver can send its next batches itself, bypassing the container.
            response.setHeader(PeerServer.PORT_HEADER, Integer.toString(peerPort));
        }
        response.setContentType("application/octet-stream");
        response.setContentLength(answer.length);
        try {
            response.getOutputStream().write(answer);
        } catch (IOException peerGone) {
            // The peer hung up first (stopped, or gave up on its batches): Raft sends again what matters.
            LOG.debug("Could not answer a batch from {}: {}", batch.header().node(), peerGone.toString());
        }
    }

    /**
     * What the node sends back right after handling the batch, waited for a little: past that it goes
     * in a request of its own, as it would without this (a node paused or slow to fsync).
     */
    static List<Message.Peer> answerTo(CompletableFuture<List<Message.Peer>> answer, long waitMs) {
        try {
            return answer.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            // Given up; unless the driver answered just now, it sends the answers itself.
        }
        return answer.cancel(false) ? List.of() : answer.getNow(List.of());
    }

    private static byte[] body(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BATCH_BYTES) {
            throw new IOException("batch larger than " + MAX_BATCH_BYTES + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                // Peers declare their length: one array of that size, nothing to grow, copy and drop.
                byte[] exact = new byte[(int) declared];
                if (in.readNBytes(exact, 0, exact.length) < exact.length) {
                    throw new IOException("batch cut short of its Content-Length");
                }
                return exact;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] chunk = new byte[16384];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (bytes.size() + n > MAX_BATCH_BYTES) {
                    throw new IOException("batch larger than " + MAX_BATCH_BYTES + " bytes");
                }
                bytes.write(chunk, 0, n);
            }
            return bytes.toByteArray();
        }
    }

    /** The JSON body of a refusal, as the peer port sends it too. */
    static byte[] errorBody(String code, String message) {
        return ("{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        byte[] body = errorBody(code, message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
