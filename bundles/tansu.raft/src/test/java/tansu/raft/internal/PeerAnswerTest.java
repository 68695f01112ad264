package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;

import tansu.raft.core.Message;

/** A peer's request waits a little for the answers its batch gets; past that they go their own way. */
public class PeerAnswerTest {

    private static final Message.Peer ANSWER = new Message.AppendResponse("b", "a", 2, 7, false, 0);

    @Test
    public void answersGivenInTimeTravelInTheResponse() {
        CompletableFuture<List<Message.Peer>> answer = new CompletableFuture<>();
        new Thread(() -> answer.complete(List.of(ANSWER))).start();
        assertEquals(List.of(ANSWER), PeerServlet.answerTo(answer, 5_000));
    }

    @Test
    public void answersTooLateAreLeftToTheDriversOwnRequests() {
        CompletableFuture<List<Message.Peer>> answer = new CompletableFuture<>();
        assertEquals(List.of(), PeerServlet.answerTo(answer, 20));
        // The driver, answering later, learns that nobody waits and sends the answers itself.
        assertFalse(answer.complete(List.of(ANSWER)));
    }
}
