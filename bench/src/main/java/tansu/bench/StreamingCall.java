package tansu.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Locale;

/**
 * A watch or event stream on its own socket, read by one blocking thread: the body as it arrives,
 * chunks undone. The JDK's HttpClient hands every piece of a streamed body from its selector thread
 * to a worker and then to the reading thread; with a hundred streams that, not the server, made
 * most of the fan-out time (bench/README.md).
 */
final class StreamingCall implements AutoCloseable {

    private final Socket socket;
    private final InputStream body;

    private StreamingCall(Socket socket, InputStream body) {
        this.socket = socket;
        this.body = body;
    }

    /** Sends {@code call} and reads the head; throws unless it answers 200. */
    static StreamingCall open(Call call) throws IOException {
        KeepAliveClient.Connection c = KeepAliveClient.connect(call.endpoint());
        try {
            // A stream waits for its next event as long as it takes.
            c.socket().setSoTimeout(0);
            KeepAliveClient.write(call, new ByteArrayOutputStream(256), c.out());
            String status = KeepAliveClient.line(c.in());
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException(call.path() + " answered " + status);
            }
            boolean chunked = false;
            for (String h = KeepAliveClient.line(c.in()); !h.isEmpty(); h = KeepAliveClient.line(c.in())) {
                String lower = h.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            return new StreamingCall(c.socket(), chunked ? new Dechunked(c.in()) : c.in());
        } catch (IOException | RuntimeException e) {
            c.socket().close();
            throw e;
        }
    }

    InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A chunked body as the bytes it carries; ends with the last chunk. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean ended;
        /** The CRLF that ends a chunk is read with the next chunk: Jetty sends it only then. */
        private boolean chunkEnded;
        private final byte[] one = new byte[1];

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (left == 0) {
                if (chunkEnded) {
                    KeepAliveClient.line(in);
                    chunkEnded = false;
                }
                String size = KeepAliveClient.line(in);
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (left == 0) {
                    ended = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed mid-chunk");
            }
            left -= n;
            chunkEnded = left == 0;
            return n;
        }
    }
}
