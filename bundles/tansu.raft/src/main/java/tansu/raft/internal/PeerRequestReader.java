package tansu.raft.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads peers' HTTP/1.1 requests from whatever pieces of them arrive on the peer port: a head, then a
 * body of its Content-Length (peers never chunk). Pipelined requests follow each other on the
 * connection: what follows the end of one is left for the next. Pure; the driver's {@link PeerServer}
 * feeds it.
 */
final class PeerRequestReader {

    static final int MAX_HEAD_BYTES = 8192;
    /** As the peer servlet takes: a batch of snapshot chunks fits. */
    static final int MAX_BODY_BYTES = 72 * 1024 * 1024;
    /** What a body starts with: a usual batch fits; a peer that declares more gets room as it sends it. */
    private static final int INITIAL_BODY_BYTES = 64 * 1024;

    /** A whole request. */
    record Request(String method, String path, byte[] body, boolean closeAfter) {
    }

    /** A request that cannot be read on: answered with {@code status}, then the connection closes. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Malformed(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final String POST = "POST";

    private final byte[] head = new byte[MAX_HEAD_BYTES];
    private int headLength;
    private String method;
    private String path;
    private boolean closeAfter;
    private long declaredLength;
    /** The body so far: grown as its bytes arrive, never to a length only declared. */
    private byte[] body;
    private int bodyLength;
    private int bodyFilled;

    /**
     * Takes the bytes that arrived, up to the end of the request under way; answers it once the whole
     * of it is in (the bytes after it left in {@code bytes}), else {@code null} while more is due.
     */
    Request take(ByteBuffer bytes) throws Malformed {
        while (body == null && bytes.hasRemaining()) {
            if (headLength == MAX_HEAD_BYTES) {
                throw new Malformed(431, "request head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            byte b = bytes.get();
            head[headLength++] = b;
            if (b == '\n' && headEnded()) {
                parseHead();
            }
        }
        if (body == null) {
            return null;
        }
        int n = Math.min(bytes.remaining(), bodyLength - bodyFilled);
        if (bodyFilled + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(bodyLength, Math.max(2L * body.length, bodyFilled + n)));
        }
        bytes.get(body, bodyFilled, n);
        bodyFilled += n;
        if (bodyFilled < bodyLength) {
            return null;
        }
        Request complete = new Request(method, path, body, closeAfter);
        headLength = 0;
        body = null;
        bodyFilled = 0;
        return complete;
    }

    /** Whether a request has begun arriving and is not complete. */
    boolean midway() {
        return headLength > 0 || body != null;
    }

    private boolean headEnded() {
        if (headLength <= 2 && (head[0] == '\r' || head[0] == '\n')) {
            // Blank lines between requests are allowed (RFC 9112, 2.2): skipped.
            headLength = 0;
            return false;
        }
        return HttpHead.ended(head, headLength);
    }

    private void parseHead() throws Malformed {
        int lineEnd = HttpHead.trimSpace(head, 0, HttpHead.firstLineEnd(head));
        int first = HttpHead.indexOf(head, 0, lineEnd, ' ');
        int second = first < 0 ? -1 : HttpHead.indexOf(head, first + 1, lineEnd, ' ');
        if (second < 0 || !HttpHead.startsWith(head, second + 1, lineEnd, "HTTP/1.")) {
            throw new Malformed(400, "not an HTTP/1.1 request: " + printable(HttpHead.text(head, 0, lineEnd)));
        }
        method = HttpHead.equals(head, 0, first, POST) ? POST : HttpHead.text(head, 0, first);
        path = HttpHead.equals(head, first + 1, second, PeerServlet.PATH) ? PeerServlet.PATH : HttpHead.text(head, first + 1, second);
        closeAfter = HttpHead.equals(head, second + 1, lineEnd, "HTTP/1.0");
        declaredLength = -1;
        HttpHead.<Malformed>fields(head, headLength, this::field);
        if (declaredLength < 0) {
            if (!method.equals(POST)) {
                declaredLength = 0;
            } else {
                throw new Malformed(411, "a batch needs its Content-Length");
            }
        }
        if (declaredLength > MAX_BODY_BYTES) {
            throw new Malformed(413, "batch larger than " + MAX_BODY_BYTES + " bytes");
        }
        bodyLength = (int) declaredLength;
        body = new byte[Math.min(bodyLength, INITIAL_BODY_BYTES)];
    }

    private void field(byte[] h, int name, int nameEnd, int value, int valueEnd) throws Malformed {
        if (HttpHead.is(h, name, nameEnd, "content-length")) {
            declaredLength = HttpHead.number(h, value, valueEnd);
            if (declaredLength < 0) {
                throw new Malformed(400, "Content-Length is not a number: " + printable(HttpHead.text(h, value, valueEnd)));
            }
        } else if (HttpHead.is(h, name, nameEnd, "connection")) {
            closeAfter = HttpHead.is(h, value, valueEnd, "close");
        } else if (HttpHead.is(h, name, nameEnd, "transfer-encoding")) {
            throw new Malformed(400, "peers send a Content-Length, not a transfer encoding ("
                + printable(HttpHead.text(h, value, valueEnd)) + ")");
        }
    }

    /** At most 100 characters of {@code s}, control characters shown as '?'. */
    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
