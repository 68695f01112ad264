package tansu.raft.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection to a peer, for POSTing batches. Deliberately small: a blocking
 * socket with Nagle off, one request at a time, the response read by its Content-Length. Sending a
 * batch costs one write and one read, without the thread hand-offs of a general-purpose client.
 * Not thread-safe: each sender owns its connections.
 */
final class PeerConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final int READ_TIMEOUT_MS = 5000;
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    PeerConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** POSTs {@code body} to {@code path}; answers the response body of a 200, else throws. */
    byte[] post(String path, byte[] body) throws IOException {
        try {
            if (socket == null) {
                connect();
            }
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n";
            // Through the connection's buffer: head and a usual batch leave in one write, uncopied beyond it.
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), SEND_BUFFER_BYTES);
    }

    private byte[] readResponse() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean close = false;
        String header;
        while (!(header = line()).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            } else if (name.equals("transfer-encoding")) {
                throw new IOException("unexpected transfer encoding " + value);
            }
        }
        if (length < 0 || length > MAX_RESPONSE_BYTES) {
            throw new IOException("response without a usable Content-Length");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new IOException("response body cut short");
        }
        if (close) {
            close();
        }
        if (code != 200) {
            throw new IOException(host + ":" + port + " answered " + code + ": " + new String(body, StandardCharsets.UTF_8));
        }
        return body;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed by " + host + ":" + port);
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 8192) {
                throw new IOException("header line too long");
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
