package tansu.raft.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a peer's HTTP/1.1 responses from whatever pieces of them arrive: a head, then a body of its
 * Content-Length (peers never chunk). One request is outstanding at a time on a peer connection, so
 * bytes past the end of a response are a broken peer, not the next response. Pure: the blocking and
 * the non-blocking connection both feed it.
 */
final class PeerResponseReader {

    static final int MAX_HEAD_BYTES = 8192;
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final String peer;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    private int status;
    private boolean closeAfter;
    private byte[] body;
    private int bodyFilled;

    /** {@code peer} names the other end in errors. */
    PeerResponseReader(String peer) {
        this.peer = peer;
    }

    /**
     * Takes the bytes that arrived (all of {@code bytes}); answers the body of a 200 once the whole
     * response is in, else {@code null} while more is due. Throws where the response is malformed,
     * too large, followed by more bytes, or not a 200 (with what the peer said).
     */
    byte[] take(ByteBuffer bytes) throws IOException {
        while (body == null && bytes.hasRemaining()) {
            byte b = bytes.get();
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head from " + peer + " longer than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n' && headEnded()) {
                parseHead();
            }
        }
        if (body == null) {
            return null;
        }
        int n = Math.min(bytes.remaining(), body.length - bodyFilled);
        bytes.get(body, bodyFilled, n);
        bodyFilled += n;
        if (bytes.hasRemaining()) {
            throw new IOException(peer + " sent " + bytes.remaining() + " bytes past its response");
        }
        if (bodyFilled < body.length) {
            return null;
        }
        byte[] complete = body;
        int code = status;
        head.reset();
        body = null;
        bodyFilled = 0;
        if (code != 200) {
            throw new IOException(peer + " answered " + code + ": " + new String(complete, StandardCharsets.UTF_8));
        }
        return complete;
    }

    /** Whether the peer said it closes the connection after the response last read. */
    boolean closeAfter() {
        return closeAfter;
    }

    /** Whether a response has begun arriving and is not complete. */
    boolean midway() {
        return head.size() > 0 || body != null;
    }

    private boolean headEnded() {
        byte[] h = head.toByteArray();
        int n = h.length;
        return (n >= 2 && h[n - 2] == '\n') || (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r');
    }

    private void parseHead() throws IOException {
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r?\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response from " + peer + ": " + lines[0]);
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status from " + peer + ": " + lines[0]);
        }
        long length = -1;
        closeAfter = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("Content-Length from " + peer + " is not a number: " + value);
                }
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            } else if (name.equals("transfer-encoding")) {
                throw new IOException("unexpected transfer encoding " + value + " from " + peer);
            }
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new IOException("response from " + peer + " without a usable Content-Length");
        }
        body = new byte[(int) length];
    }
}
