package tansu.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator's HTTP/1.1 client: one blocking keep-alive connection per endpoint, used by one
 * thread. The JDK's HttpClient spent 210-260 µs of CPU per request here (a quarter of this 2-core
 * machine at 2,000 requests/s), CPU then missing from whichever system was measured; this one writes
 * the request in one go and reads the status, the headers it needs and the body.
 */
final class KeepAliveClient implements Closeable {

    private static final int TIMEOUT_MS = 10_000;

    record Connection(Socket socket, InputStream in, OutputStream out) {
    }

    private final Map<String, Connection> connections = new HashMap<>();
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);

    /** Sends {@code call} and reads the whole answer; answers its status. */
    int send(Call call) throws IOException {
        Connection c = connections.get(call.endpoint());
        if (c == null) {
            c = connect(call.endpoint());
            connections.put(call.endpoint(), c);
        }
        try {
            return exchange(c, call);
        } catch (IOException e) {
            close(call.endpoint());
            throw e;
        }
    }

    /** A socket to {@code endpoint}, buffered both ways, reads given up after 10 s. */
    static Connection connect(String endpoint) throws IOException {
        int colon = endpoint.lastIndexOf(':');
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))), TIMEOUT_MS);
        s.setSoTimeout(TIMEOUT_MS);
        return new Connection(s, new BufferedInputStream(s.getInputStream(), 16 * 1024),
            new BufferedOutputStream(s.getOutputStream(), 16 * 1024));
    }

    private int exchange(Connection c, Call call) throws IOException {
        write(call, head, c.out());

        String status = line(c.in());
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = line(c.in()); !h.isEmpty(); h = line(c.in())) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(chunkSize(line(c.in())), 16); size > 0; size = Long.parseLong(chunkSize(line(c.in())), 16)) {
                skip(c.in(), size);
                line(c.in());
            }
            for (String trailer = line(c.in()); !trailer.isEmpty(); trailer = line(c.in())) {
                // trailers are not used
            }
        } else if (length >= 0) {
            skip(c.in(), length);
        } else if (code != 204 && code != 304) {
            closeAfter = true; // a body up to the end of the connection
            c.in().transferTo(OutputStream.nullOutputStream());
        }
        if (closeAfter) {
            close(call.endpoint());
        }
        return code;
    }

    private static String chunkSize(String line) {
        int semicolon = line.indexOf(';');
        return (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    }

    /** Writes {@code call}'s request in one go, its head built in {@code head} (reused by the caller). */
    static void write(Call call, ByteArrayOutputStream head, OutputStream out) throws IOException {
        head.reset();
        ascii(head, call.method() + " " + call.path() + " HTTP/1.1\r\nHost: " + call.endpoint() + "\r\n");
        if (call.body() != null) {
            ascii(head, "Content-Type: " + call.contentType() + "\r\nContent-Length: " + call.body().length + "\r\n");
        }
        ascii(head, "\r\n");
        head.writeTo(out);
        if (call.body() != null) {
            out.write(call.body());
        }
        out.flush();
    }

    private static void ascii(ByteArrayOutputStream head, String s) {
        head.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One line of a head, CR dropped. */
    static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed mid-answer");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed mid-body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private void close(String endpoint) {
        Connection c = connections.remove(endpoint);
        if (c != null) {
            try {
                c.socket().close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        for (String e : Map.copyOf(connections).keySet()) {
            close(e);
        }
    }
}
