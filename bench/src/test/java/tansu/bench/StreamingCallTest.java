package tansu.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** A streamed body against a loopback server that sends chunks the way Jetty does. */
public class StreamingCallTest {

    @Test
    public void eachChunkIsReadWithoutWaitingForTheNextOneAndTheLastEndsTheBody() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0)) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                        // the request's head
                    }
                    OutputStream out = s.getOutputStream();
                    // Jetty ends a chunk with its CRLF only when it sends the next one.
                    out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\none\ntw".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (!firstRead.await(5, TimeUnit.SECONDS)) {
                        return;
                    }
                    out.write("\r\n4\r\no\n\n\n\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (Exception e) {
                    // the test fails on what it read
                }
            });
            peer.start();
            try (StreamingCall call = StreamingCall.open(Call.get("127.0.0.1:" + server.getLocalPort(), "/watch"))) {
                InputStream body = call.body();
                byte[] buffer = new byte[64];
                assertEquals(6, body.read(buffer, 0, buffer.length));
                assertEquals("one\ntw", new String(buffer, 0, 6, StandardCharsets.ISO_8859_1));
                firstRead.countDown();
                String rest = new String(body.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertEquals("o\n\n\n", rest);
            }
            peer.join(5_000);
            assertTrue(firstRead.getCount() == 0);
        }
    }

    @Test(expected = java.io.IOException.class)
    public void anAnswerOtherThan200IsRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[256]);
                    s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    // the test fails on what it read
                }
            });
            peer.start();
            StreamingCall.open(Call.get("127.0.0.1:" + server.getLocalPort(), "/watch")).close();
        }
    }
}
