package tansu.raft.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

import tansu.raft.core.Configuration;

/** The leader's own membership changes, rule by rule. */
public class MembershipRulesTest {

    private static final Configuration THREE = Configuration.ofVoters("a", "b", "c");

    private final Set<String> retired = new java.util.HashSet<>();
    /** Leader a of cluster C1; at least 3 voters; members go after 10 ticks of silence. */
    private final MembershipRules rules = new MembershipRules("a", "C1", 3, 10, 100, retired::contains);

    private static MembershipRules.View view(Configuration c, Map<String, Long> match, Map<String, Long> silent,
                                             MembershipRules.Heard... heard) {
        return new MembershipRules.View(c, 20, match, silent, List.of(heard));
    }

    private static Optional<Configuration> next(Optional<MembershipRules.Change> change) {
        return change.map(MembershipRules.Change::next);
    }

    @Test
    public void aLearnerThatCaughtUpIsPromotedFirst() {
        Configuration c = new Configuration(List.of("a", "b", "c", "f"), List.of("d", "e"));
        MembershipRules.View behind = view(c, Map.of("d", 19L, "e", 12L), Map.of("b", 50L));
        assertEquals("a silent voter goes while no learner has caught up",
            Optional.of(new Configuration(List.of("a", "c", "f"), List.of("d", "e"))), next(rules.next(behind)));
        MembershipRules.View caughtUp = view(c, Map.of("d", 20L, "e", 12L), Map.of("b", 50L));
        assertEquals(Optional.of(new Configuration(List.of("a", "b", "c", "d", "f"), List.of("e"))), next(rules.next(caughtUp)));
    }

    @Test
    public void aSilentVoterGoesOnlyWhileMoreThanExpectRemainButASilentLearnerAlwaysGoes() {
        Configuration four = Configuration.ofVoters("a", "b", "c", "d");
        assertEquals(Optional.empty(), rules.next(view(four, Map.of(), Map.of("d", 10L))));
        Optional<MembershipRules.Change> removal = rules.next(view(four, Map.of(), Map.of("d", 11L)));
        assertEquals(Optional.of(THREE), next(removal));
        assertEquals("d", removal.get().absent());
        assertEquals("three are the floor", Optional.empty(), rules.next(view(THREE, Map.of(), Map.of("c", 500L))));
        Configuration withLearner = new Configuration(List.of("a", "b", "c"), List.of("e"));
        assertEquals(Optional.of(THREE), next(rules.next(view(withLearner, Map.of("e", 0L), Map.of("e", 11L)))));
    }

    @Test
    public void aFreshNodeIsAddedAsALearnerButNeitherTheLeaderNorAMember() {
        assertEquals(Optional.empty(), rules.next(view(THREE, Map.of(), Map.of(),
            new MembershipRules.Heard("a", "", 5), new MembershipRules.Heard("b", "C1", 5))));
        assertEquals(Optional.of(new Configuration(List.of("a", "b", "c"), List.of("f"))),
            next(rules.next(view(THREE, Map.of(), Map.of(), new MembershipRules.Heard("f", "", 5)))));
    }

    @Test
    public void aMemberRemovedWhileAwayIsTakenBackOnceHeardAgainUnlessAnOperatorRemovedIt() {
        Configuration four = Configuration.ofVoters("a", "b", "c", "d");
        Optional<MembershipRules.Change> removal = rules.next(view(four, Map.of(), Map.of("d", 11L)));
        rules.removedForAbsence(removal.get().absent(), 1_000);
        assertEquals("its last words, heard before the removal, do not bring it back", Optional.empty(),
            rules.next(view(THREE, Map.of(), Map.of(), new MembershipRules.Heard("d", "C1", 900))));
        assertEquals(Optional.of(new Configuration(List.of("a", "b", "c"), List.of("d"))),
            next(rules.next(view(THREE, Map.of(), Map.of(), new MembershipRules.Heard("d", "C1", 1_100)))));
        assertEquals("a node of another cluster stays out", Optional.empty(),
            rules.next(view(THREE, Map.of(), Map.of(), new MembershipRules.Heard("x", "C2", 1_100))));
        retired.add("d");
        assertEquals("an operator removed it", Optional.empty(),
            rules.next(view(THREE, Map.of(), Map.of(), new MembershipRules.Heard("d", "C1", 1_100))));
    }

    @Test
    public void noRemovalWhenRemoveAfterIsZero() {
        MembershipRules never = new MembershipRules("a", "C1", 3, 0, 100, id -> false);
        assertEquals(Optional.empty(), never.next(view(Configuration.ofVoters("a", "b", "c", "d"), Map.of(), Map.of("d", 1_000_000L))));
    }
}
