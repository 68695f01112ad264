package tansu.raft.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

import tansu.api.storage.LogEntry;
import tansu.raft.core.Configuration;
import tansu.raft.core.Message;
import tansu.raft.core.Proposal;

public class PeerCodecTest {

    private static final PeerCodec.Header HEADER = new PeerCodec.Header("c1", "dev", "a", "127.0.0.1", 8081, new Founding.Stance("a", 5, 5),
        java.util.Map.of("b", "10.0.0.2:8080", "c", "[::1]:8082"));

    private static List<Message.Peer> everyKind() {
        LogEntry e = new LogEntry(5, 2, 99, LogEntry.Type.COMMAND, "kv", "a", 7, new byte[] {1, 2});
        return List.of(
            new Message.AppendEntries("a", "b", 2, 4, 2, List.of(e), 3),
            new Message.AppendResponse("a", "b", 2, 5, true, 1),
            new Message.Heartbeat("a", "b", 2, 3, 11),
            new Message.HeartbeatResponse("a", "b", 2, 11),
            new Message.RequestVote("a", "b", 3, 5, 2, true, false),
            new Message.VoteResponse("a", "b", 3, true, true),
            new Message.InstallSnapshot("a", "b", 2, 9, 2, new Configuration(List.of("a", "b"), List.of("c")), 0,
                new byte[] {9}, true),
            new Message.SnapshotResponse("a", "b", 2, 9, 1, false),
            new Message.TimeoutNow("a", "b", 2),
            new Message.ForwardPropose("a", "b", 0, List.of(new Proposal("kv", "a", 8, new byte[] {3}, 42))),
            new Message.ReadIndexRequest("a", "b", 2, 5),
            new Message.ReadIndexResponse("a", "b", 2, 5, 3),
            new Message.AdminRequest("a", "b", 2, "c", true, null),
            new Message.AdminRequest("a", "b", 2, null, false, "c"));
    }

    @Test
    public void everyMessageSurvivesTheWire() throws IOException {
        PeerCodec.Batch batch = PeerCodec.decode(PeerCodec.encode(HEADER, everyKind()));
        assertEquals(HEADER, batch.header());
        List<Message.Peer> sent = everyKind();
        for (int i = 0; i < sent.size(); i++) {
            // Records holding arrays compare arrays by identity: compare their text instead.
            assertEquals(describe(sent.get(i)), describe(batch.messages().get(i)));
        }
        Message.AppendEntries a = (Message.AppendEntries) batch.messages().get(0);
        assertArrayEquals(new byte[] {1, 2}, a.entries().get(0).data());
    }

    @Test
    public void anEncoderKeptForManyBatchesEncodesEachAsIfAlone() {
        PeerCodec.Encoder encoder = new PeerCodec.Encoder();
        PeerCodec.Header other = new PeerCodec.Header("c1", "dev", "a", "127.0.0.1", 8081, new Founding.Stance("a", 5, 5),
            java.util.Map.of("b", "10.0.0.9:8080"));
        List<LogEntry> many = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(new LogEntry(i + 1, 2, 99, LogEntry.Type.COMMAND, "kv", "a", i, new byte[100]));
        }
        List<List<Message.Peer>> batches = List.of(everyKind(), List.of(new Message.AppendEntries("a", "b", 2, 0, 0, many, 3)),
            List.of(), everyKind());
        for (PeerCodec.Header header : List.of(HEADER, other, HEADER)) {
            for (List<Message.Peer> batch : batches) {
                WireWriter encoded = encoder.encode(header, batch, 0);
                assertArrayEquals(PeerCodec.encode(header, batch), encoded.toByteArray());
            }
        }
    }

    @Test
    public void theBytesReservedForAHeadComeBeforeTheBatch() throws IOException {
        WireWriter encoded = new PeerCodec.Encoder().encode(HEADER, everyKind(), 40);
        byte[] alone = PeerCodec.encode(HEADER, everyKind());
        assertEquals(40 + alone.length, encoded.length());
        assertArrayEquals(alone, Arrays.copyOfRange(encoded.array(), 40, encoded.length()));
        assertEquals(HEADER, new PeerCodec.Decoder().decode(encoded.array(), 40, alone.length).header());
    }

    @Test
    public void aMessageIsTheRequestHeadThenTheBatch() {
        byte[] alone = PeerCodec.encode(HEADER, everyKind());
        byte[] head = PeerConnection.head("h", 1, PeerServlet.PATH, alone.length);
        java.nio.ByteBuffer message = new PeerCodec.Encoder().message(PeerConnection.headStart("h", 1, PeerServlet.PATH),
            HEADER, everyKind());
        byte[] written = new byte[message.remaining()];
        message.get(written);
        byte[] expected = Arrays.copyOf(head, head.length + alone.length);
        System.arraycopy(alone, 0, expected, head.length, alone.length);
        assertArrayEquals(expected, written);
    }

    @Test
    public void aDecoderKeepsTheHeaderWhileItsBytesStayTheSame() throws IOException {
        PeerCodec.Decoder decoder = new PeerCodec.Decoder();
        byte[] first = PeerCodec.encode(HEADER, everyKind());
        PeerCodec.Header seen = decoder.decode(first, 0, first.length).header();
        assertSame(seen, decoder.decode(first.clone(), 0, first.length).header());

        PeerCodec.Header moved = new PeerCodec.Header("c1", "dev", "a", "127.0.0.1", 8081, new Founding.Stance("a", 5, 5),
            java.util.Map.of("b", "10.0.0.2:8080", "c", "[::1]:8083"));
        byte[] second = PeerCodec.encode(moved, everyKind());
        assertEquals(moved, decoder.decode(second, 0, second.length).header());
        assertEquals(HEADER, decoder.decode(first, 0, first.length).header());
    }

    @Test
    public void aBatchInTheMiddleOfAnArrayIsReadWithoutWhatSurroundsIt() throws IOException {
        byte[] alone = PeerCodec.encode(HEADER, everyKind());
        byte[] surrounded = new byte[alone.length + 20];
        Arrays.fill(surrounded, (byte) 7);
        System.arraycopy(alone, 0, surrounded, 10, alone.length);
        assertEquals(everyKind().size(), new PeerCodec.Decoder().decode(surrounded, 10, alone.length).messages().size());
        assertRefused(Arrays.copyOf(surrounded, alone.length + 10), "bytes before it");
    }

    private static String describe(Message.Peer m) {
        String s = m.toString().replaceAll("\\[B@[0-9a-f]+", "bytes");
        if (m instanceof Message.InstallSnapshot i) {
            s += Arrays.toString(i.chunk());
        }
        return s;
    }

    @Test
    public void malformedBatchesAreRefusedWhole() {
        byte[] good = PeerCodec.encode(HEADER, everyKind());
        for (int cut = 0; cut < good.length; cut += 7) {
            assertRefused(Arrays.copyOf(good, cut), "truncated at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertRefused(trailing, "trailing byte");
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertRefused(badMagic, "bad magic");
        byte[] spoofed = PeerCodec.encode(new PeerCodec.Header("c1", "dev", "someone-else", "h", 1, Founding.Stance.NONE), everyKind());
        assertRefused(spoofed, "messages from another node than the header's");
        byte[] gap = PeerCodec.encode(HEADER, List.of(new Message.AppendEntries("a", "b", 2, 4, 2,
            List.of(new LogEntry(7, 2, 0, LogEntry.Type.NOOP, "", "", 0, new byte[0])), 3)));
        assertRefused(gap, "entries that do not follow prevIndex");
    }

    private static void assertRefused(byte[] bytes, String what) {
        try {
            PeerCodec.decode(bytes);
            fail("accepted a batch with " + what);
        } catch (IOException expected) {
            // refused
        }
    }
}
