package tansu.raft.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One persistent HTTP/1.1 connection to a peer, for POSTing batches. Deliberately small: a blocking
 * socket with Nagle off, one request at a time, the response read by its Content-Length. Sending a
 * batch costs one write and one read, without the thread hand-offs of a general-purpose client.
 * Not thread-safe: each sender owns its connections.
 */
final class PeerConnection implements AutoCloseable {

    /** How long a peer may take to accept a connection, and to answer a batch (both transports). */
    static final int CONNECT_TIMEOUT_MS = 500;
    static final int READ_TIMEOUT_MS = 5000;
    private static final int SEND_BUFFER_BYTES = 64 * 1024;
    private static final int READ_CHUNK_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private PeerResponseReader reader;

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
            // Through the connection's buffer: head and a usual batch leave in one write, uncopied beyond it.
            out.write(head(host, port, path, body.length));
            out.write(body);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The head of a POST of {@code length} bytes to {@code path} at {@code host:port}. */
    static byte[] head(String host, int port, String path, int length) {
        byte[] start = headStart(host, port, path);
        byte[] head = new byte[start.length + HttpHead.END_BYTES];
        int at = HttpHead.put(head, head.length, start, length);
        return Arrays.copyOfRange(head, at, head.length);
    }

    /** The head of a POST to {@code path} at {@code host:port} up to its Content-Length's digits. */
    static byte[] headStart(String host, int port, String path) {
        return ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        socket = s;
        in = s.getInputStream();
        out = new BufferedOutputStream(s.getOutputStream(), SEND_BUFFER_BYTES);
        reader = new PeerResponseReader(host + ":" + port);
    }

    private byte[] readResponse() throws IOException {
        byte[] chunk = new byte[READ_CHUNK_BYTES];
        while (true) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed by " + host + ":" + port);
            }
            ByteBuffer received = ByteBuffer.wrap(chunk, 0, n);
            byte[] body = reader.take(received);
            if (received.hasRemaining()) {
                throw new IOException(host + ":" + port + " sent " + received.remaining() + " bytes past its response");
            }
            if (body != null) {
                if (reader.closeAfter()) {
                    close();
                }
                return body;
            }
        }
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
