package tansu.raft.internal;

import static org.junit.Assert.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import org.junit.Test;

import tansu.raft.core.Configuration;
import tansu.raft.core.Message;

public class PeerTransportBatchTest {

    private static Message.Peer chunk(int bytes) {
        return new Message.InstallSnapshot("a", "b", 1, 10, 1, new Configuration(List.of("a", "b"), List.of()), 0,
            new byte[bytes], false);
    }

    private static Message.Peer heartbeat() {
        return new Message.Heartbeat("a", "b", 1, 0, 0);
    }

    @Test
    public void aBatchTakesWhatWaitsUntilItsPayloadReachesTheCapThenStops() {
        Queue<Message.Peer> queue = new ArrayDeque<>();
        int chunk = 1024 * 1024;
        for (int i = 0; i < 10; i++) {
            queue.add(chunk(chunk));
        }
        List<Message.Peer> batch = new ArrayList<>(List.of(queue.poll()));
        PeerTransport.fill(batch, queue);
        assertEquals("4 MiB of chunks, not all 10", PeerTransport.MAX_BATCH_PAYLOAD / chunk, batch.size());
        assertEquals(10 - batch.size(), queue.size());
    }

    @Test
    public void messagesWithoutPayloadAreBoundByCount() {
        Queue<Message.Peer> queue = new ArrayDeque<>();
        for (int i = 0; i < PeerTransport.MAX_BATCH + 10; i++) {
            queue.add(heartbeat());
        }
        List<Message.Peer> batch = new ArrayList<>(List.of(queue.poll()));
        PeerTransport.fill(batch, queue);
        assertEquals(PeerTransport.MAX_BATCH, batch.size());

        List<Message.Peer> rest = new ArrayList<>(List.of(queue.poll()));
        PeerTransport.fill(rest, queue);
        assertEquals("an empty queue ends the batch", 10, rest.size());
    }
}
