package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;

import tansu.api.storage.LogEntry;
import tansu.raft.core.Message;

/** The answers a batch gets in the driver's round go back in the response; everything else by request. */
public class PeerAnswersTest {

    private final PeerAnswers answers = new PeerAnswers();
    private final List<Message.Peer> sentInstead = new ArrayList<>();

    private static final Message.Peer TO_B = new Message.AppendResponse("a", "b", 2, 7, false, 0);
    private static final Message.Peer HEARTBEAT_ANSWER_TO_B = new Message.HeartbeatResponse("a", "b", 2, 3);
    private static final Message.Peer ENTRIES_TO_B = new Message.AppendEntries("a", "b", 2, 7, 2,
        List.of(LogEntry.noop(8, 2, 0)), 7);
    private static final Message.Peer TO_C = new Message.AppendResponse("a", "c", 2, 7, false, 0);

    @Test
    public void answersToAWaitingPeerGoInItsResponse() {
        CompletableFuture<List<Message.Peer>> b = new CompletableFuture<>();
        assertTrue(answers.await("b", b));
        List<Message.Peer> rest = answers.route(List.of(TO_B, ENTRIES_TO_B, TO_C, HEARTBEAT_ANSWER_TO_B), peer -> false);
        assertEquals("entries never ride in a response, nor what goes to a peer not waiting", List.of(ENTRIES_TO_B, TO_C), rest);
        answers.answer(sentInstead::addAll);
        assertEquals(List.of(TO_B, HEARTBEAT_ANSWER_TO_B), b.join());
        assertEquals(List.of(), sentInstead);
        assertEquals("the next round answers nobody", List.of(TO_B), answers.route(List.of(TO_B), peer -> false));
    }

    @Test
    public void aPeerWithoutAnswersHearsSoAtTheEndOfTheRound() {
        CompletableFuture<List<Message.Peer>> b = new CompletableFuture<>();
        answers.await("b", b);
        answers.answer(sentInstead::addAll);
        assertEquals(List.of(), b.join());
    }

    @Test
    public void aSecondBatchOfTheSamePeerLeavesTheAnswersToTheFirst() {
        CompletableFuture<List<Message.Peer>> first = new CompletableFuture<>();
        assertTrue(answers.await("b", first));
        assertFalse(answers.await("b", new CompletableFuture<>()));
        answers.route(List.of(TO_B), peer -> false);
        answers.answer(sentInstead::addAll);
        assertEquals(List.of(TO_B), first.join());
    }

    @Test
    public void answersToAFaultyPeerMeetTheFaultsOfARequest() {
        CompletableFuture<List<Message.Peer>> b = new CompletableFuture<>();
        answers.await("b", b);
        assertEquals(List.of(TO_B), answers.route(List.of(TO_B), "b"::equals));
        answers.answer(sentInstead::addAll);
        assertEquals(List.of(), b.join());
    }

    @Test
    public void answersForARequestThatGaveUpAreSentByRequest() {
        CompletableFuture<List<Message.Peer>> b = new CompletableFuture<>();
        answers.await("b", b);
        answers.route(List.of(TO_B), peer -> false);
        b.cancel(false);
        answers.answer(sentInstead::addAll);
        assertEquals(List.of(TO_B), sentInstead);
    }
}
