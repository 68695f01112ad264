package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import tansu.raft.core.Message;

/**
 * The driver's own peer connections, against a peer on a real loopback socket that answers, hangs
 * up, stays silent or talks nonsense: answers come back, what waits leaves together, and a connection
 * that fails is dropped and made again for what is sent next.
 */
public class PeerChannelsTest {

    private static final PeerCodec.Header A = new PeerCodec.Header("c", "env", "a", "127.0.0.1", 1, Founding.Stance.NONE);

    /** What the peer does with a request. */
    private enum Mode { ANSWER, ANSWER_IN_PAIRS, REFUSE_ONCE, HANG_UP, STAY_SILENT, TALK_NONSENSE }

    private final List<PeerCodec.Batch> answered = new CopyOnWriteArrayList<>();
    private final List<List<Message.Peer>> peerGot = new CopyOnWriteArrayList<>();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.ANSWER;
    private ServerSocket server;
    /** The peer as it describes itself in its answers. */
    private PeerCodec.Header b;
    private PeerChannels channels;

    @Before
    public void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        b = new PeerCodec.Header("c", "env", "b", "127.0.0.1", server.getLocalPort(), Founding.Stance.NONE);
        Thread acceptor = new Thread(this::accept, "fake-peer");
        acceptor.setDaemon(true);
        acceptor.start();
        AddressBook book = new AddressBook();
        book.remember("b", "127.0.0.1", server.getLocalPort());
        channels = new PeerChannels(book, () -> A, answered::add, TimeUnit.MILLISECONDS.toNanos(300));
    }

    @After
    public void stop() throws IOException {
        channels.close();
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    public void answersComeBackInOrderAndWhatWaitsMeanwhileLeavesTogether() throws IOException {
        channels.send(List.of(heartbeat(1)));
        awaitUntil(() -> answers() == 1);
        for (long context = 2; context <= 5; context++) {
            channels.send(List.of(heartbeat(context)));
        }
        awaitUntil(() -> answers() == 5);
        // Two batches under way at once, pipelined; the rest waits for the first answer.
        assertEquals(List.of(1, 1, 1, 2), sizes(peerGot));
        assertEquals(1, accepted.size());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), contexts());
    }

    @Test
    public void answersThatArriveTogetherAreAllTaken() throws IOException {
        answerOneThenPipelineTwoTo(Mode.ANSWER_IN_PAIRS);
        awaitUntil(() -> answers() == 3);
        assertEquals(List.of(1L, 2L, 3L), contexts());
    }

    @Test
    public void aRefusedBatchLeavesTheConnectionToThoseBehindIt() throws IOException {
        answerOneThenPipelineTwoTo(Mode.REFUSE_ONCE);
        awaitUntil(() -> answers() == 2);
        assertEquals(List.of(1L, 3L), contexts());
        assertEquals(1, accepted.size());
    }

    @Test
    public void aPeerThatHangsUpLosesTheBatchAndTheNextSendConnectsAgain() throws IOException {
        sendFirstBatchTo(Mode.HANG_UP);
        awaitUntil(() -> !channels.connected("b"));
        assertNextBatchAnsweredOnANewConnection();
    }

    @Test
    public void aPeerSilentPastTheTimeoutIsGivenUp() throws IOException {
        sendFirstBatchTo(Mode.STAY_SILENT);
        awaitUntil(() -> !channels.connected("b"));
        assertNextBatchAnsweredOnANewConnection();
    }

    @Test
    public void aMalformedAnswerIsRefusedAndItsConnectionDropped() throws IOException {
        sendFirstBatchTo(Mode.TALK_NONSENSE);
        awaitUntil(() -> !channels.connected("b"));
        assertEquals(0, answers());
        assertNextBatchAnsweredOnANewConnection();
    }

    @Test
    public void aCommitNoticeWaitsForTheNextAppendWhichTakesItsPlace() throws IOException {
        channels.send(List.of(heartbeat(1)));
        awaitUntil(() -> answers() == 1);
        channels.send(List.of(CommitNoticesTest.notice(1, 5, 5)));
        assertEquals(1, channels.waiting("b"));
        Message.AppendEntries append = CommitNoticesTest.append(1, 5, 5, 6);
        channels.send(List.of(append));
        awaitUntil(() -> answers() == 2);
        // Two batches: the notice never left on its own.
        assertEquals(List.of(1, 1), sizes(peerGot));
        Message.AppendEntries got = (Message.AppendEntries) peerGot.get(1).get(0);
        assertEquals(6, got.entries().get(0).index());
        assertEquals(5, got.commit());
    }

    @Test
    public void aNoticeNoAppendFollowsLeavesAfterTheHoldAndTheNextOnesAtOnce() throws IOException {
        channels.send(List.of(heartbeat(1)));
        awaitUntil(() -> answers() == 1);
        long sent = System.nanoTime();
        channels.send(List.of(CommitNoticesTest.notice(1, 5, 5)));
        assertEquals(1, channels.waiting("b"));
        awaitUntil(() -> answers() == 2);
        assertTrue(System.nanoTime() - sent >= CommitNotices.HOLD_NANOS);
        channels.send(List.of(CommitNoticesTest.notice(1, 6, 6)));
        assertEquals(0, channels.waiting("b"));
        awaitUntil(() -> answers() == 3);
    }

    @Test
    public void aWakeupEndsTheWait() throws IOException {
        new Thread(() -> {
            sleep(100);
            channels.wakeup();
        }).start();
        long started = System.nanoTime();
        channels.await(TimeUnit.SECONDS.toNanos(20), () -> true);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue("woken after " + tookMs + " ms", tookMs < 10_000);
    }

    /** A first batch answered on a fresh connection, then two pipelined to a peer that does as {@code peer} says. */
    private void answerOneThenPipelineTwoTo(Mode peer) throws IOException {
        channels.send(List.of(heartbeat(1)));
        awaitUntil(() -> answers() == 1);
        mode = peer;
        channels.send(List.of(heartbeat(2)));
        channels.send(List.of(heartbeat(3)));
    }

    private void sendFirstBatchTo(Mode peer) throws IOException {
        mode = peer;
        channels.send(List.of(heartbeat(1)));
        awaitUntil(() -> peerGot.size() == 1);
    }

    private void assertNextBatchAnsweredOnANewConnection() throws IOException {
        mode = Mode.ANSWER;
        channels.send(List.of(heartbeat(2)));
        awaitUntil(() -> answers() == 1);
        assertEquals(List.of(2L), contexts());
        assertEquals(2, accepted.size());
    }

    private static Message.Peer heartbeat(long context) {
        return new Message.Heartbeat("a", "b", 1, 0, context);
    }

    private int answers() {
        return answered.stream().mapToInt(b -> b.messages().size()).sum();
    }

    private List<Long> contexts() {
        List<Long> contexts = new ArrayList<>();
        answered.forEach(b -> b.messages().forEach(m -> {
            if (m instanceof Message.HeartbeatResponse r) {
                contexts.add(r.context());
            }
        }));
        return contexts;
    }

    private static List<Integer> sizes(List<List<Message.Peer>> batches) {
        return batches.stream().map(List::size).toList();
    }

    /** The driver's loop, in short: waits on the channels until {@code done}, for 10 s at most. */
    private void awaitUntil(BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue("not done within 10 s: peer got " + peerGot + ", answered " + contexts(), System.nanoTime() < deadline);
            channels.await(TimeUnit.MILLISECONDS.toNanos(10), () -> true);
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                accepted.add(s);
                Thread t = new Thread(() -> serve(s), "fake-peer-connection");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                PeerCodec.Batch batch = PeerCodec.decode(readRequest(in));
                Mode now = mode;
                peerGot.add(batch.messages());
                switch (now) {
                    case HANG_UP -> {
                        return;
                    }
                    case STAY_SILENT -> {
                        in.readAllBytes();
                        return;
                    }
                    case TALK_NONSENSE -> respond(out, "nonsense".getBytes(StandardCharsets.US_ASCII));
                    case ANSWER -> respond(out, answer(batch));
                    case REFUSE_ONCE -> {
                        mode = Mode.ANSWER;
                        byte[] refusal = "{\"error\":\"foreign_peer\"}".getBytes(StandardCharsets.UTF_8);
                        out.write(("HTTP/1.1 409 Conflict\r\nContent-Length: " + refusal.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                        out.write(refusal);
                        out.flush();
                    }
                    case ANSWER_IN_PAIRS -> {
                        PeerCodec.Batch second = PeerCodec.decode(readRequest(in));
                        peerGot.add(second.messages());
                        ByteArrayOutputStream both = new ByteArrayOutputStream();
                        respond(both, answer(batch));
                        respond(both, answer(second));
                        out.write(both.toByteArray());
                    }
                }
            }
        } catch (IOException closed) {
            // the channel went away
        }
    }

    private byte[] answer(PeerCodec.Batch batch) {
        List<Message.Peer> answers = new ArrayList<>();
        for (Message.Peer m : batch.messages()) {
            if (m instanceof Message.AppendEntries append) {
                answers.add(new Message.AppendResponse("b", "a", append.term(), append.prevIndex() + append.entries().size(), false, 0));
            } else {
                answers.add(new Message.HeartbeatResponse("b", "a", 1, ((Message.Heartbeat) m).context()));
            }
        }
        return PeerCodec.encode(b, answers);
    }

    /** The body of the next request on {@code in}, as a fake peer reads it. */
    static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
        }
        String lengthHeader = "Content-Length: ";
        String h = head.toString(StandardCharsets.US_ASCII);
        int at = h.indexOf(lengthHeader) + lengthHeader.length();
        int length = Integer.parseInt(h.substring(at, h.indexOf('\r', at)));
        return in.readNBytes(length);
    }

    private static void respond(OutputStream out, byte[] body) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
