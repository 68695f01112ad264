package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class ReadRoundsTest {

    private static final long PATIENCE = 100;
    private static final long DEADLINE = 2000;

    private final ReadRounds<String> rounds = new ReadRounds<>(PATIENCE, DEADLINE);

    @Test
    public void readsGatheredBeforeARoundShareIt() {
        rounds.add("r1");
        rounds.add("r2");
        long round = rounds.nextRound(0);
        assertNotEquals(0, round);
        assertEquals(List.of("r1", "r2"), rounds.close(round));
        assertEquals(List.of(), rounds.close(round));
    }

    @Test
    public void noRoundWithoutReads() {
        assertEquals(0, rounds.nextRound(0));
    }

    @Test
    public void aReadArrivingWhileARoundIsOutWaitsForTheNextOne() {
        rounds.add("r1");
        long first = rounds.nextRound(0);
        rounds.add("r2");
        assertEquals("the first round may have been asked before r2 arrived", 0, rounds.nextRound(10));
        assertEquals(List.of("r1"), rounds.close(first));
        long second = rounds.nextRound(20);
        assertNotEquals(first, second);
        assertEquals(List.of("r2"), rounds.close(second));
    }

    @Test
    public void aRoundOutPastItsPatienceNoLongerHoldsTheNextBack() {
        rounds.add("r1");
        long first = rounds.nextRound(0);
        rounds.add("r2");
        assertEquals(0, rounds.nextRound(PATIENCE - 1));
        long second = rounds.nextRound(PATIENCE);
        assertNotEquals(0, second);
        assertEquals(List.of("r2"), rounds.close(second));
        assertEquals("the first still counts when its answer comes late", List.of("r1"), rounds.close(first));
    }

    @Test
    public void aRoundPastItsDeadlineGivesUpItsReads() {
        rounds.add("r1");
        long first = rounds.nextRound(0);
        rounds.add("r2");
        long second = rounds.nextRound(PATIENCE);
        assertEquals(List.of(), rounds.expire(DEADLINE));
        assertEquals(List.of("r1"), rounds.expire(DEADLINE + 1));
        assertEquals(List.of(), rounds.close(first));
        assertEquals(List.of("r2"), rounds.expire(PATIENCE + DEADLINE + 1));
        assertEquals(List.of(), rounds.close(second));
    }

    @Test
    public void anExpiredRoundNoLongerHoldsTheNextBack() {
        ReadRounds<String> patient = new ReadRounds<>(10 * DEADLINE, DEADLINE);
        patient.add("r1");
        patient.nextRound(0);
        assertEquals(List.of("r1"), patient.expire(DEADLINE + 1));
        patient.add("r2");
        assertNotEquals(0, patient.nextRound(DEADLINE + 1));
    }

    @Test
    public void clearingGivesUpEveryRead() {
        rounds.add("r1");
        rounds.nextRound(0);
        rounds.add("r2");
        List<String> all = rounds.clear();
        assertTrue(all.containsAll(List.of("r1", "r2")));
        assertEquals(2, all.size());
        assertEquals(List.of(), rounds.expire(DEADLINE * 2));
        assertEquals(0, rounds.nextRound(DEADLINE * 2));
    }
}
