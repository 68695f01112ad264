package tansu.raft.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a peer's HTTP/1.1 responses from whatever pieces of them arrive: a head, then a body of its
 * Content-Length (peers never chunk). Responses to pipelined requests follow each other on the
 * connection: what follows the end of one is left for the next. Pure: the blocking and the
 * non-blocking connection both feed it.
 */
final class PeerResponseReader {

    static final int MAX_HEAD_BYTES = 8192;
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String PEER_PORT = PeerServer.PORT_HEADER.toLowerCase(Locale.ROOT);

    private final String peer;
    private final byte[] head = new byte[MAX_HEAD_BYTES];
    private int headLength;
    private int status;
    private boolean closeAfter;
    private int peerPort;
    private long declaredLength;
    private byte[] body;
    private int bodyFilled;

    /** {@code peer} names the other end in errors. */
    PeerResponseReader(String peer) {
        this.peer = peer;
    }

    /**
     * Takes the bytes that arrived, up to the end of the response under way; answers the body of a
     * 200 once the whole response is in (the bytes after it left in {@code bytes}), else {@code null}
     * while more is due. Throws where the response is malformed, too large, or not a 200 (with what
     * the peer said).
     */
    byte[] take(ByteBuffer bytes) throws IOException {
        while (body == null && bytes.hasRemaining()) {
            if (headLength == MAX_HEAD_BYTES) {
                throw new IOException("response head from " + peer + " longer than " + MAX_HEAD_BYTES + " bytes");
            }
            byte b = bytes.get();
            head[headLength++] = b;
            if (b == '\n' && HttpHead.ended(head, headLength)) {
                parseHead();
            }
        }
        if (body == null) {
            return null;
        }
        int n = Math.min(bytes.remaining(), body.length - bodyFilled);
        bytes.get(body, bodyFilled, n);
        bodyFilled += n;
        if (bodyFilled < body.length) {
            return null;
        }
        byte[] complete = body;
        int code = status;
        headLength = 0;
        body = null;
        bodyFilled = 0;
        if (code != 200) {
            throw new Refusal(peer + " answered " + code + ": " + new String(complete, StandardCharsets.UTF_8));
        }
        return complete;
    }

    /** A whole response other than a 200: the connection is still good for the next one. */
    static final class Refusal extends IOException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    /** Whether the peer said it closes the connection after the response last read. */
    boolean closeAfter() {
        return closeAfter;
    }

    /** The peer port the response last read names ({@link PeerServer#PORT_HEADER}), or 0. */
    int peerPort() {
        return peerPort;
    }

    /** Whether a response has begun arriving and is not complete. */
    boolean midway() {
        return headLength > 0 || body != null;
    }

    private void parseHead() throws IOException {
        int lineEnd = HttpHead.trimSpace(head, 0, HttpHead.firstLineEnd(head));
        int space = HttpHead.indexOf(head, 0, lineEnd, ' ');
        if (!HttpHead.startsWith(head, 0, lineEnd, "HTTP/1.") || space < 0) {
            throw new IOException("not an HTTP response from " + peer + ": " + HttpHead.text(head, 0, lineEnd));
        }
        int codeEnd = HttpHead.indexOf(head, space + 1, lineEnd, ' ');
        long code = HttpHead.number(head, space + 1, codeEnd < 0 ? lineEnd : codeEnd);
        if (code < 0 || code > 999) {
            throw new IOException("not an HTTP status from " + peer + ": " + HttpHead.text(head, 0, lineEnd));
        }
        status = (int) code;
        declaredLength = -1;
        closeAfter = false;
        peerPort = 0;
        HttpHead.<IOException>fields(head, headLength, (h, name, nameEnd, value, valueEnd) -> {
            if (HttpHead.is(h, name, nameEnd, "content-length")) {
                declaredLength = HttpHead.number(h, value, valueEnd);
                if (declaredLength < 0) {
                    throw new IOException("Content-Length from " + peer + " is not a number: " + HttpHead.text(h, value, valueEnd));
                }
            } else if (HttpHead.is(h, name, nameEnd, "connection") && HttpHead.is(h, value, valueEnd, "close")) {
                closeAfter = true;
            } else if (HttpHead.is(h, name, nameEnd, "transfer-encoding")) {
                throw new IOException("unexpected transfer encoding " + HttpHead.text(h, value, valueEnd) + " from " + peer);
            } else if (HttpHead.is(h, name, nameEnd, PEER_PORT)) {
                long port = HttpHead.number(h, value, valueEnd);
                // What is not a port names none: the HTTP port goes on working.
                peerPort = port > 0 && port <= 65535 ? (int) port : 0;
            }
        });
        if (declaredLength < 0 || declaredLength > MAX_BODY_BYTES) {
            throw new IOException("response from " + peer + " without a usable Content-Length");
        }
        body = new byte[(int) declaredLength];
    }
}
