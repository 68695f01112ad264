package tansu.raft.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import tansu.raft.core.Configuration;

/**
 * What the leader changes in the configuration by itself, one change at a time, in this order: a
 * learner that has caught up becomes a voter; a member silent too long goes (a voter only while more
 * than {@code expect} voters remain); a fresh node of the environment that introduces itself is added
 * as a learner, and so is a node of this cluster that is no member (removed while away, or its pledge
 * was not counted at the founding) unless an operator removed it. Pure: the driver gives it the view.
 */
final class MembershipRules {

    /** A node heard from lately: its id, the cluster it names ("" for none) and when (System.nanoTime). */
    record Heard(String id, String cluster, long at) {
    }

    /** What the leader knows when it decides. */
    record View(Configuration configuration, long commitIndex, Map<String, Long> matchIndexes,
                Map<String, Long> silentTicks, List<Heard> heard) {
    }

    /** The next configuration, why, and the member it removes for being away (or null). */
    record Change(Configuration next, String why, String absent) {
    }

    private final String self;
    private final String cluster;
    private final int expect;
    /** Ticks of silence after which a member goes; 0 for never. */
    private final long removeAfterTicks;
    private final long tickMs;
    private final Predicate<String> retired;
    /** When this leader removed members for being away. */
    private final Map<String, Long> removedAt = new HashMap<>();

    MembershipRules(String self, String cluster, int expect, long removeAfterTicks, long tickMs, Predicate<String> retired) {
        this.self = self;
        this.cluster = cluster;
        this.expect = expect;
        this.removeAfterTicks = removeAfterTicks;
        this.tickMs = tickMs;
        this.retired = retired;
    }

    Optional<Change> next(View view) {
        Configuration c = view.configuration();
        for (String learner : c.learners()) {
            if (view.matchIndexes().getOrDefault(learner, 0L) >= view.commitIndex()) {
                List<String> voters = new ArrayList<>(c.voters());
                voters.add(learner);
                return Optional.of(new Change(new Configuration(voters, without(c.learners(), learner)),
                    "promote " + learner + " to voter", null));
            }
        }
        if (removeAfterTicks > 0) {
            for (Map.Entry<String, Long> silent : view.silentTicks().entrySet()) {
                String member = silent.getKey();
                boolean removable = c.isVoter(member) ? c.voters().size() > expect : c.contains(member);
                if (removable && silent.getValue() > removeAfterTicks) {
                    return Optional.of(new Change(new Configuration(without(c.voters(), member), without(c.learners(), member)),
                        "remove " + member + ", not heard from for " + removeAfterTicks * tickMs / 1000 + " s", member));
                }
            }
        }
        for (Heard h : view.heard()) {
            boolean fresh = h.cluster().isEmpty();
            // Heard since it was removed for being away: it is back, not an echo of its last words.
            boolean returning = h.cluster().equals(cluster) && !retired.test(h.id())
                && (!removedAt.containsKey(h.id()) || h.at() - removedAt.get(h.id()) > 0);
            if ((fresh || returning) && !c.contains(h.id()) && !h.id().equals(self)) {
                List<String> learners = new ArrayList<>(c.learners());
                learners.add(h.id());
                return Optional.of(new Change(new Configuration(c.voters(), learners),
                    (fresh ? "add " : "take back ") + h.id() + " as a learner", null));
            }
        }
        return Optional.empty();
    }

    /** The leader removed {@code id} for being away at {@code now} (System.nanoTime). */
    void removedForAbsence(String id, long now) {
        removedAt.put(id, now);
    }

    private static List<String> without(List<String> ids, String id) {
        List<String> rest = new ArrayList<>(ids);
        rest.remove(id);
        return rest;
    }
}
