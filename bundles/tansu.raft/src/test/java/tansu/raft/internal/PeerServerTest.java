package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import tansu.raft.core.Message;

/**
 * The peer port on real loopback sockets, driven as the driver drives it (this test's thread is the
 * driver): batches reach the driver and get its answers in their order, bad requests are refused as
 * the servlet refuses them, and a peer's connections move to the port the servlet names and back to
 * the HTTP port when the peer port goes.
 */
public class PeerServerTest {

    private static final PeerCodec.Header A = new PeerCodec.Header("c", "env", "a", "127.0.0.1", 1, Founding.Stance.NONE);
    private static final PeerCodec.Header B = new PeerCodec.Header("c", "env", "b", "127.0.0.1", 2, Founding.Stance.NONE);

    private PeerChannels channels;
    private PeerServer server;
    /** How the node behind the peer port describes itself. */
    private volatile PeerCodec.Header self = B;
    /** What the driver got, and the answers it owes, in order. */
    private final List<PeerCodec.Batch> got = new ArrayList<>();
    private final List<CompletableFuture<List<Message.Peer>>> owed = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();

    @Before
    public void open() throws IOException {
        channels = new PeerChannels(new AddressBook(), () -> self, batch -> { });
        server = PeerServer.open(0, channels, () -> self,
            header -> header.env().equals("env") ? null : "this node is of environment env, not " + header.env(),
            batch -> {
                got.add(batch);
                CompletableFuture<List<Message.Peer>> answer = new CompletableFuture<>();
                owed.add(answer);
                return answer;
            });
        assertNotNull(server);
    }

    @After
    public void close() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        server.close();
        channels.close();
    }

    @Test
    public void aBatchIsAnsweredWithWhatTheDriverAnswersForIt() throws IOException {
        Socket peer = connect();
        send(peer, post(PeerCodec.encode(A, List.of(heartbeat(7)))));
        awaitUntil(() -> got.size() == 1);
        assertEquals(List.of(heartbeat(7)), got.get(0).messages());
        assertEquals(0, peer.getInputStream().available());

        owed.get(0).complete(List.of(answer(7)));
        Response r = readResponse(peer);
        assertEquals(200, r.status);
        PeerCodec.Batch answered = PeerCodec.decode(r.body);
        assertEquals("b", answered.header().node());
        assertEquals(List.of(answer(7)), answered.messages());
    }

    @Test
    public void pipelinedBatchesAreAnsweredInTheOrderTheyCame() throws IOException {
        Socket peer = connect();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(post(PeerCodec.encode(A, List.of(heartbeat(1)))));
        both.write(post(PeerCodec.encode(A, List.of(heartbeat(2)))));
        send(peer, both.toByteArray());
        awaitUntil(() -> got.size() == 2);

        // The second is answered first; its answer still waits for the first's.
        owed.get(1).complete(List.of(answer(2)));
        drive(50);
        assertEquals(0, peer.getInputStream().available());
        owed.get(0).complete(List.of(answer(1)));
        assertEquals(List.of(answer(1)), PeerCodec.decode(readResponse(peer).body).messages());
        assertEquals(List.of(answer(2)), PeerCodec.decode(readResponse(peer).body).messages());
    }

    @Test
    public void aMalformedBatchIsRefusedWith400AndItsConnectionClosed() throws IOException {
        Socket peer = connect();
        send(peer, post("not a batch".getBytes(StandardCharsets.US_ASCII)));
        Response r = readResponse(peer);
        assertEquals(400, r.status);
        assertTrue(r.text(), r.text().contains("\"error\":\"malformed_batch\""));
        awaitUntil(() -> server.connections() == 0);
        assertEquals(-1, peer.getInputStream().read());
        assertEquals(0, got.size());
    }

    @Test
    public void aMalformedRequestIsRefusedWithItsStatusAndItsConnectionClosed() throws IOException {
        Socket peer = connect();
        send(peer, "POST /internal/raft HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Response r = readResponse(peer);
        assertEquals(400, r.status);
        assertTrue(r.text(), r.text().contains("\"error\":\"malformed_request\""));
        awaitUntil(() -> server.connections() == 0);
    }

    @Test
    public void aForeignBatchIsRefusedWith409AndTheConnectionServesTheNext() throws IOException {
        Socket peer = connect();
        PeerCodec.Header foreign = new PeerCodec.Header("c", "other", "x", "127.0.0.1", 3, Founding.Stance.NONE);
        send(peer, post(PeerCodec.encode(foreign, List.of(new Message.Heartbeat("x", "b", 1, 0, 1)))));
        Response refused = readResponse(peer);
        assertEquals(409, refused.status);
        assertTrue(refused.text(), refused.text().contains("environment env, not other"));

        send(peer, post(PeerCodec.encode(A, List.of(heartbeat(2)))));
        awaitUntil(() -> got.size() == 1);
        owed.get(0).complete(List.of());
        Response r = readResponse(peer);
        assertEquals(200, r.status);
        assertEquals(List.of(), PeerCodec.decode(r.body).messages());
    }

    @Test
    public void otherPathsAndMethodsAreRefused() throws IOException {
        Socket peer = connect();
        send(peer, "GET /internal/raft HTTP/1.1\r\nHost: x\r\n\r\nGET /api/keys HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(405, readResponse(peer).status);
        assertEquals(404, readResponse(peer).status);
        assertEquals(0, got.size());
    }

    @Test
    public void aConnectionPastTheLimitTakesThePlaceOfTheOneSilentLongest() throws IOException {
        Socket oldest = connect();
        awaitUntil(() -> server.connections() == 1);
        drive(20);
        for (int i = 2; i <= PeerServer.MAX_CONNECTIONS; i++) {
            connect();
            int open = i;
            // Accepted one by one: the listener's backlog is smaller than the limit.
            awaitUntil(() -> server.connections() == open);
        }
        Socket newest = connect();
        awaitUntil(() -> readsEnd(oldest));
        assertEquals(PeerServer.MAX_CONNECTIONS, server.connections());
        send(newest, post(PeerCodec.encode(A, List.of(heartbeat(1)))));
        awaitUntil(() -> got.size() == 1);
    }

    /** Whether the server closed {@code s}: a read ends at once (the socket's timeout is left as it was). */
    private static boolean readsEnd(Socket s) {
        try {
            s.setSoTimeout(1);
            try {
                return s.getInputStream().read() < 0;
            } finally {
                s.setSoTimeout(10_000);
            }
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    public void aPeerMovesToThePortTheServletNamesAndBackWhenItGoes() throws IOException {
        // The peer's HTTP port: answers every heartbeat, naming the peer port.
        ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<PeerCodec.Batch> httpGot = new CopyOnWriteArrayList<>();
        Thread servlet = new Thread(() -> serveHttp(http, httpGot), "fake-servlet");
        servlet.setDaemon(true);
        servlet.start();
        AddressBook book = new AddressBook();
        book.remember("b", "127.0.0.1", http.getLocalPort());
        self = new PeerCodec.Header("c", "env", "b", "127.0.0.1", http.getLocalPort(), Founding.Stance.NONE);
        List<PeerCodec.Batch> answered = new CopyOnWriteArrayList<>();
        try (http; PeerChannels leader = new PeerChannels(book, () -> A, answered::add)) {
            leader.send(List.of(heartbeat(1)));
            // Its answer read, not only its batch sent: a batch sent before goes pipelined behind it.
            awaitUntil(() -> answered.size() == 1, leader);
            assertEquals(1, httpGot.size());

            leader.send(List.of(heartbeat(2)));
            awaitUntil(() -> got.size() == 1, leader);
            assertEquals(List.of(heartbeat(2)), got.get(0).messages());
            owed.get(0).complete(List.of(answer(2)));
            awaitUntil(() -> answered.size() == 2, leader);
            assertEquals(List.of(answer(2)), answered.get(1).messages());

            // The peer port goes (its node stopped, say): the leader drops the connection, and the next
            // batch goes by HTTP, which names the port anew.
            server.close();
            awaitUntil(() -> !leader.connected("b"), leader);
            leader.send(List.of(heartbeat(3)));
            awaitUntil(() -> httpGot.size() == 2, leader);
            assertEquals(List.of(heartbeat(3)), httpGot.get(1).messages());
            assertEquals(1, got.size());
        }
    }

    private void serveHttp(ServerSocket http, List<PeerCodec.Batch> httpGot) {
        try {
            while (true) {
                Socket s = http.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        while (true) {
                            PeerCodec.Batch batch = PeerCodec.decode(PeerChannelsTest.readRequest(in));
                            httpGot.add(batch);
                            byte[] body = PeerCodec.encode(self, List.of(answer(((Message.Heartbeat) batch.messages().get(0)).context())));
                            out.write(("HTTP/1.1 200 OK\r\n" + PeerServer.PORT_HEADER + ": " + server.port()
                                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(body);
                            out.flush();
                        }
                    } catch (IOException closed) {
                        // the connection went away
                    }
                }, "fake-servlet-connection");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(10_000);
        clients.add(s);
        return s;
    }

    private static void send(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    private static byte[] post(byte[] body) {
        byte[] head = PeerConnection.head("127.0.0.1", 2, PeerServlet.PATH, body.length);
        return ByteBuffer.allocate(head.length + body.length).put(head).put(body).array();
    }

    private record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Drives the server until a whole response is in, then reads it. */
    private Response readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            awaitUntil(() -> available(in) > 0);
            head.write(in.read());
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(h.substring(9, 12));
        String lengthHeader = "Content-Length: ";
        int at = h.indexOf(lengthHeader) + lengthHeader.length();
        int length = Integer.parseInt(h.substring(at, h.indexOf('\r', at)));
        awaitUntil(() -> available(in) >= length);
        return new Response(status, in.readNBytes(length));
    }

    private static int available(InputStream in) {
        try {
            return in.available();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Message.Peer heartbeat(long context) {
        return new Message.Heartbeat("a", "b", 1, 0, context);
    }

    private static Message.Peer answer(long context) {
        return new Message.HeartbeatResponse("b", "a", 1, context);
    }

    /** The driver's loop for this long. */
    private void drive(long ms) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < deadline) {
            channels.await(TimeUnit.MILLISECONDS.toNanos(5), () -> true);
        }
    }

    private void awaitUntil(BooleanSupplier done) throws IOException {
        awaitUntil(done, null);
    }

    /** The driver's loop (and {@code leader}'s, where given) until {@code done}, for 10 s at most. */
    private void awaitUntil(BooleanSupplier done, PeerChannels leader) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue("not done within 10 s: the driver got " + got, System.nanoTime() < deadline);
            channels.await(TimeUnit.MILLISECONDS.toNanos(5), () -> true);
            if (leader != null) {
                leader.await(TimeUnit.MILLISECONDS.toNanos(5), () -> true);
            }
        }
    }
}
