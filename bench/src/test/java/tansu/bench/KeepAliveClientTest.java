package tansu.bench;

import static org.junit.Assert.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The load generator's client against a loopback server that answers from a script, one answer per request. */
public class KeepAliveClientTest {

    private ServerSocket server;
    private final List<String> answers = new ArrayList<>();
    /** Each request line received, with the number of the connection it came on. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Thread acceptor;

    @Before
    public void listen() throws IOException {
        server = new ServerSocket(0);
        acceptor = new Thread(this::serve, "test-server");
        acceptor.start();
    }

    @After
    public void close() throws Exception {
        server.close();
        acceptor.join(5_000);
    }

    private void serve() {
        int connection = 0;
        int next = 0;
        try {
            while (true) {
                try (Socket s = server.accept()) {
                    connection++;
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    OutputStream out = s.getOutputStream();
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        received.add(connection + " " + line);
                        int length = 0;
                        for (String h = in.readLine(); !h.isEmpty(); h = in.readLine()) {
                            if (h.toLowerCase().startsWith("content-length:")) {
                                length = Integer.parseInt(h.substring(15).trim());
                            }
                        }
                        char[] body = new char[length];
                        for (int read = 0; read < length; ) {
                            read += in.read(body, read, length - read);
                        }
                        String answer;
                        synchronized (answers) {
                            answer = answers.get(next++);
                        }
                        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (answer.contains("Connection: close")) {
                            break;
                        }
                    }
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private String endpoint() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Test
    public void readsBodiesByLengthAndByChunksOnOneConnection() throws IOException {
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        answers.add("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n");
        answers.add("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n");
        try (KeepAliveClient client = new KeepAliveClient()) {
            assertEquals(200, client.send(Call.get(endpoint(), "/a")));
            assertEquals(404, client.send(Call.withBody("PUT", endpoint(), "/b", "text/plain", "body")));
            assertEquals(201, client.send(Call.get(endpoint(), "/c")));
        }
        assertEquals(List.of("1 GET /a HTTP/1.1", "1 PUT /b HTTP/1.1", "1 GET /c HTTP/1.1"), received);
    }

    @Test
    public void connectsAgainAfterTheServerClosesTheConnection() throws IOException {
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        try (KeepAliveClient client = new KeepAliveClient()) {
            assertEquals(200, client.send(Call.get(endpoint(), "/a")));
            assertEquals(200, client.send(Call.get(endpoint(), "/b")));
        }
        assertEquals(List.of("1 GET /a HTTP/1.1", "2 GET /b HTTP/1.1"), received);
    }
}
