package tansu.raft.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class BootstrapTest {

    private static AddressBook.Entry fresh(String id) {
        return new AddressBook.Entry(id, "127.0.0.1", 1, "", "dev");
    }

    @Test
    public void everyMemberDecidesTheSameVotersAndClusterOnceAllAnswered() {
        Bootstrap.Decision a = Bootstrap.decide("b", 3, 2, List.of(fresh("a"), fresh("c"))).orElseThrow();
        Bootstrap.Decision c = Bootstrap.decide("c", 3, 2, List.of(fresh("b"), fresh("a"))).orElseThrow();
        assertEquals(List.of("a", "b", "c"), a.voters());
        assertEquals(a, c);
    }

    @Test
    public void nobodyDecidesBeforeEveryListedMemberAnsweredWithItsId() {
        assertTrue(Bootstrap.decide("a", 3, 2, List.of(fresh("b"))).isEmpty());
        assertTrue(Bootstrap.decide("a", 3, 2, List.of(fresh("b"), fresh(""))).isEmpty());
        assertTrue("fewer than expected", Bootstrap.decide("a", 3, 1, List.of(fresh("b"))).isEmpty());
    }

    @Test
    public void aMemberThatFoundedTheSameClusterFirstDoesNotStopTheOthersButAnotherClusterDoes() {
        String cluster = Bootstrap.decide("a", 3, 2, List.of(fresh("b"), fresh("c"))).orElseThrow().cluster();
        AddressBook.Entry founded = new AddressBook.Entry("b", "127.0.0.1", 1, cluster, "dev");
        assertEquals(cluster, Bootstrap.decide("a", 3, 2, List.of(founded, fresh("c"))).orElseThrow().cluster());
        AddressBook.Entry foreign = new AddressBook.Entry("b", "127.0.0.1", 1, "another", "dev");
        assertTrue(Bootstrap.decide("a", 3, 2, List.of(foreign, fresh("c"))).isEmpty());
    }
}
