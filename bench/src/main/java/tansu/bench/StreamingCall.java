package tansu.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        int colon = call.endpoint().lastIndexOf(':');
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(call.endpoint().substring(0, colon),
                Integer.parseInt(call.endpoint().substring(colon + 1))), 10_000);
            StringBuilder head = new StringBuilder(call.method()).append(' ').append(call.path())
                .append(" HTTP/1.1\r\nHost: ").append(call.endpoint()).append("\r\n");
            if (call.body() != null) {
                head.append("Content-Type: ").append(call.contentType()).append("\r\nContent-Length: ")
                    .append(call.body().length).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (call.body() != null) {
                out.write(call.body());
            }
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            String status = KeepAliveClient.line(in);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException(call.path() + " answered " + status);
            }
            boolean chunked = false;
            for (String h = KeepAliveClient.line(in); !h.isEmpty(); h = KeepAliveClient.line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            return new StreamingCall(s, chunked ? new Dechunked(in) : in);
        } catch (IOException | RuntimeException e) {
            s.close();
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

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
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
